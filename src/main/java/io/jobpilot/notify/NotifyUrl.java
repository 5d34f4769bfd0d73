package io.jobpilot.notify;

import io.jobpilot.run.Secrets;
import io.jobpilot.run.UsageException;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** Checks a --notify URL (or an API request's notifyUrl) before anything runs: absolute http or https with a host. */
public final class NotifyUrl {
    private NotifyUrl() {
    }

    /** @return the URL unchanged; a {@link UsageException} naming the problem otherwise */
    public static String require(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new UsageException("--notify '" + Secrets.scrub(url) + "' is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new UsageException("--notify '" + Secrets.scrub(url) + "' must be an http:// or https:// URL");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw new UsageException("--notify '" + Secrets.scrub(url) + "' has no host");
        }
        return url;
    }
}
