package dev.licensor.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.protocol.ErrorCode;
import dev.licensor.server.web.ApiException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.YearMonth;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SessionLogicTest {
    @Test
    void tokensAreRandomVersionFourUuids() {
        SecureRandom random = new SecureRandom();
        Set<UUID> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            UUID token = SessionTokens.next(random);
            assertThat(token.version()).isEqualTo(4);
            assertThat(token.variant()).isEqualTo(2);
            assertThat(seen.add(token)).isTrue();
        }
    }

    @Test
    void tokensAreTakenFromTheInjectedRandom() {
        SecureRandom fixed = new SecureRandom() {
            @Override
            public void nextBytes(byte[] bytes) {
                java.util.Arrays.fill(bytes, (byte) 0xff);
            }
        };
        assertThat(SessionTokens.next(fixed)).hasToString("ffffffff-ffff-4fff-bfff-ffffffffffff");
    }

    @Test
    void onlyCanonicalTokensAreParsed() {
        UUID token = UUID.randomUUID();
        assertThat(SessionTokens.parse(token.toString())).contains(token);
        assertThat(SessionTokens.parse(" " + token.toString().toUpperCase(java.util.Locale.ROOT) + " "))
                .contains(token);
        assertThat(SessionTokens.parse("1-1-1-1-1")).isEmpty();
        assertThat(SessionTokens.parse(token.toString().replace("-", ""))).isEmpty();
        assertThat(SessionTokens.parse("")).isEmpty();
    }

    @Test
    void aSessionIsLiveStrictlyBeforeItsTimeout() {
        Instant start = Instant.parse("2026-11-23T12:00:00Z");
        SessionRow row = new SessionRow(
                1, UUID.randomUUID(), 1, 1, 1, null, null, start, start, start.plusSeconds(60), null, null);
        assertThat(row.live(start.plusSeconds(59))).isTrue();
        assertThat(row.live(start.plusSeconds(60))).isFalse();
        SessionRow ended = new SessionRow(
                1,
                UUID.randomUUID(),
                1,
                1,
                1,
                null,
                null,
                start,
                start,
                start.plusSeconds(60),
                start.plusSeconds(1),
                EndReason.NORMAL);
        assertThat(ended.live(start.plusSeconds(2))).isFalse();
    }

    @Test
    void theLimitMessageForOneSessionIsItsOwnSentenceAndNamesNobody() {
        ApiException one = Sessions.limitReached(1);
        ApiException three = Sessions.limitReached(3);

        assertThat(one.code()).isEqualTo(ErrorCode.SESSION_LIMIT_REACHED);
        assertThat(one.detailKey()).isEqualTo("problem.SESSION_LIMIT_REACHED.detail.one");
        assertThat(one.properties()).containsOnlyKeys("concurrent_sessions_limit");
        assertThat(three.detailKey()).isNull();
        assertThat(three.detailArgs()).containsExactly(3);
        assertThat(three.properties()).containsEntry("concurrent_sessions_limit", 3);
    }

    @Test
    void endReasonsAreSpelledAsTheApiSpellsThem() {
        assertThat(EndReason.LICENSE_INVALID.wire()).isEqualTo("license_invalid");
        for (EndReason reason : EndReason.values()) {
            assertThat(EndReason.parse(reason.wire())).contains(reason);
        }
        assertThat(EndReason.parse("LICENSE_INVALID")).isEmpty();
    }

    @Test
    void partitionsAreNamedByMonth() {
        assertThat(LogMaintenance.partition(YearMonth.of(2026, 3))).isEqualTo("heartbeat_log_2026_03");
        assertThat(LogMaintenance.month("heartbeat_log_2026_03")).isEqualTo(YearMonth.of(2026, 3));
        assertThat(LogMaintenance.month("heartbeat_log_default")).isNull();
        assertThat(LogMaintenance.month("other_2026_03")).isNull();
    }
}
