package dev.licensor.server.backup;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.ResourceBundle;

/**
 * A restore that must not happen (another secret, another schema, a database that is not empty, a
 * file that is not a backup). The reason is a message key {@code backup.refused.<reason>} of the
 * {@code messages} bundle: the admin API and the panel show it in the caller's language, the
 * command line in English ({@link #getMessage()}).
 */
public class RestoreRefused extends RuntimeException {
    private final String reason;
    private final Object[] args;

    public RestoreRefused(String reason, Object... args) {
        super(reason, null, false, false);
        this.reason = reason;
        this.args = args.clone();
    }

    public String key() {
        return "backup.refused." + reason;
    }

    public Object[] args() {
        return args.clone();
    }

    @Override
    public String getMessage() {
        String pattern = ResourceBundle.getBundle("messages", Locale.ROOT).getString(key());
        // Like Spring's MessageSource: a message without arguments is not a MessageFormat pattern.
        return args.length == 0 ? pattern : new MessageFormat(pattern, Locale.ROOT).format(args);
    }
}
