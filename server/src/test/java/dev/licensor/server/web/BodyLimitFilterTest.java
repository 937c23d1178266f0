package dev.licensor.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BodyLimitFilterTest {
    private static final byte[] BODY = "{\"license_key\":\"K\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void readsExactlyTheDeclaredLength() throws IOException {
        assertThat(BodyLimitFilter.read(new ByteArrayInputStream(BODY), BODY.length))
                .isEqualTo(BODY);
        assertThat(BodyLimitFilter.read(new ByteArrayInputStream(new byte[0]), 0))
                .isEmpty();
    }

    @Test
    void aBodyShorterThanDeclaredIsWhatArrived() throws IOException {
        assertThat(BodyLimitFilter.read(new ByteArrayInputStream(BODY), BODY.length + 10))
                .isEqualTo(BODY);
    }

    @Test
    void aChunkedBodyIsReadUpToOneByteOverTheLimit() throws IOException {
        assertThat(BodyLimitFilter.read(new ByteArrayInputStream(BODY), -1)).isEqualTo(BODY);
        byte[] huge = new byte[BodyLimitFilter.MAX_BODY * 2];
        assertThat(BodyLimitFilter.read(new ByteArrayInputStream(huge), -1)).hasSize(BodyLimitFilter.MAX_BODY + 1);
    }
}
