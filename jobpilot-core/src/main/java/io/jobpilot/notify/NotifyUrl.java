package io.jobpilot.notify;

import io.jobpilot.run.Secrets;
import io.jobpilot.run.UsageException;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A --notify URL (or an API request's notifyUrl): checked before anything runs (absolute http or https with a host),
 * and shown only as {@link #display}, since webhook URLs carry their secret in the path or the query.
 */
public final class NotifyUrl {
    /** scheme://, a user:password@ to leave out, host[:port]; whatever follows is not shown. */
    private static final Pattern ORIGIN = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)?(?:[^/?#]*@)?([^/?#@]*)/?");

    private NotifyUrl() {
    }

    /** @return the URL unchanged; a {@link UsageException} naming the problem otherwise */
    public static String require(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new UsageException("--notify '" + display(url) + "' is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new UsageException("--notify '" + display(url) + "' must be an http:// or https:// URL");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw new UsageException("--notify '" + display(url) + "' has no host");
        }
        return url;
    }

    /**
     * The URL as jobpilot shows it (stderr, show, the API, the log): scheme, host and port, then {@code /...} for the
     * rest. A Slack or Teams webhook's secret is its path, other receivers put a token in the query, and a user name
     * and password may precede the host: none of that is ever shown.
     */
    public static String display(String url) {
        if (url == null) {
            return null;
        }
        Matcher m = ORIGIN.matcher(url);
        m.lookingAt();
        return (m.group(1) == null ? "" : m.group(1)) + m.group(2) + (m.end() < url.length() ? "/..." : "");
    }

    /**
     * Text that may quote the URL (an error an HTTP client or a receiver wrote), with each quote of it, of what follows
     * its host, or of its path or query alone shown as in {@link #display}; then masked as any text is
     * ({@link Secrets#scrub}).
     */
    public static String scrub(String text, String url) {
        if (text == null || url == null) {
            return Secrets.scrub(text);
        }
        Matcher m = ORIGIN.matcher(url);
        m.lookingAt();
        String rest = url.substring(m.end());
        String s = text.replace(url, display(url));
        int query = rest.indexOf('?');
        for (String part : query < 0 ? new String[] {rest} : new String[] {rest, rest.substring(0, query), rest.substring(query)}) {
            if (part.length() >= 4) {
                s = s.replace(part, "...");
            }
        }
        return Secrets.scrub(s);
    }
}
