package dev.licensor.client;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * {@code UPDATE_REQUIRED}: this program version is older than the product's minimum version.
 */
public class UpdateRequiredException extends LicensorException {
    private static final long serialVersionUID = 1L;

    UpdateRequiredException(Problem problem, @Nullable Throwable cause) {
        super(problem, cause);
    }

    /**
     * The oldest version the server accepts.
     *
     * @return the {@code minimum_version} field, when sent
     */
    public Optional<String> minimumVersion() {
        return stringProperty("minimum_version");
    }

    /**
     * Where to download the current version.
     *
     * @return the {@code download_url} field, when sent
     */
    public Optional<String> downloadUrl() {
        return stringProperty("download_url");
    }
}
