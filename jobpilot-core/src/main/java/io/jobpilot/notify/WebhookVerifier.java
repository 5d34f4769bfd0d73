package io.jobpilot.notify;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Checks a completion notification on the receiving side (the Standard Webhooks scheme jobpilot signs with): the
 * {@code webhook-signature} must hold a {@code v1} signature of {@code "{webhook-id}.{webhook-timestamp}.{body}"} under
 * the shared secret, the timestamp must be within the tolerance of this receiver's clock, and the same
 * (id, timestamp) must not have been verified before. A retry of a delivery carries the same {@code webhook-id} with
 * a fresh timestamp and signature, so it verifies; a captured request sent again is either a repeat (rejected here)
 * or too old (rejected by the window). Use {@code webhook-id} (also sent as {@code Idempotency-Key}) to process each
 * delivery once.
 *
 * <pre>{@code
 * WebhookVerifier verifier = new WebhookVerifier(System.getenv("JOBPILOT_NOTIFY_SIGNING_SECRET"));   // one per receiver
 * try {
 *     verifier.verify(request::getHeader, rawBody);    // the body's bytes as received, before any JSON parsing
 * } catch (WebhookVerifier.Rejected e) {
 *     return 401;                                      // e.reason() says why; the message never holds the secret
 * }
 * }</pre>
 *
 * The (id, timestamp) pairs verified are remembered in memory until they leave the window: one instance per
 * receiving process. Note that jobpilot's immediate attempts (see jobpilot.notify.immediate-attempts) may fall in
 * the same second; a receiver that verified one and then failed to answer 200 sees those as repeats, and gets the
 * delivery again at the next spaced attempt, with a fresh timestamp. Thread-safe.
 */
public final class WebhookVerifier {
    public static final String ID_HEADER = StandardWebhooks.ID;
    public static final String TIMESTAMP_HEADER = StandardWebhooks.TIMESTAMP;
    public static final String SIGNATURE_HEADER = StandardWebhooks.SIGNATURE;
    /** The window the Standard Webhooks libraries use. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private final byte[] key;
    private final long toleranceSeconds;
    private final Clock clock;
    /** "id timestamp" of each delivery verified, until its timestamp leaves the window (epoch seconds). */
    private final Map<String, Long> verified = new ConcurrentHashMap<>();

    /** The default tolerance (5 minutes) on the system clock. */
    public WebhookVerifier(String secret) {
        this(secret, DEFAULT_TOLERANCE, Clock.systemUTC());
    }

    /**
     * @param secret    jobpilot.notify.signing-secret: {@code whsec_<base64>} or a plain secret
     * @param tolerance how far a timestamp may be from this clock, either way
     * @throws IllegalArgumentException no secret, a {@code whsec_} secret whose key is not base64, or a negative tolerance
     */
    public WebhookVerifier(String secret, Duration tolerance, Clock clock) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("no signing secret: nothing can be verified");
        }
        if (tolerance.isNegative()) {
            throw new IllegalArgumentException("the tolerance cannot be negative: " + tolerance);
        }
        this.key = StandardWebhooks.key(secret);
        this.toleranceSeconds = tolerance.toSeconds();
        this.clock = clock;
    }

    /**
     * @param header looks a header up by name ({@code request::getHeader}; HTTP header names are case-insensitive, so
     *               the lookup should be too), null when absent
     * @param body   the body's bytes exactly as received
     * @throws Rejected the delivery is not authentic, not current, or a repeat
     */
    public void verify(UnaryOperator<String> header, byte[] body) {
        verify(header.apply(ID_HEADER), header.apply(TIMESTAMP_HEADER), header.apply(SIGNATURE_HEADER), body);
    }

    /** The same, with the three header values given one by one (null when absent). */
    public void verify(String id, String timestamp, String signatures, byte[] body) {
        required(id, ID_HEADER);
        required(timestamp, TIMESTAMP_HEADER);
        required(signatures, SIGNATURE_HEADER);
        if (!timestamp.matches("[0-9]{1,18}")) {
            throw new Rejected(Reason.BAD_TIMESTAMP, TIMESTAMP_HEADER + " is not unix seconds");
        }
        long ts = Long.parseLong(timestamp);
        long now = clock.instant().getEpochSecond();
        if (Math.abs(now - ts) > toleranceSeconds) {
            throw new Rejected(Reason.OUTSIDE_TOLERANCE, TIMESTAMP_HEADER + " " + ts + " is " + Math.abs(now - ts) + "s from now, outside the "
                    + toleranceSeconds + "s tolerance");
        }
        if (!anyMatches(signatures, StandardWebhooks.signature(key, id, ts, body))) {
            throw new Rejected(Reason.BAD_SIGNATURE, "no " + SIGNATURE_HEADER + " matches the body under this secret");
        }
        // remembered only once authentic, so forged requests cannot fill the memory or block a real delivery
        verified.values().removeIf(until -> until < now);
        if (verified.putIfAbsent(id + " " + ts, ts + toleranceSeconds) != null) {
            throw new Rejected(Reason.REPLAYED, "this delivery (" + ID_HEADER + " " + id + ", " + TIMESTAMP_HEADER + " " + ts
                    + ") was verified before: a replay");
        }
    }

    private static void required(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new Rejected(Reason.MISSING_HEADER, "no " + name + " header");
        }
    }

    /** The header is a space-separated list (several during a secret rotation); entries of other versions are skipped. */
    private static boolean anyMatches(String signatures, String expected) {
        byte[] want = expected.getBytes(StandardCharsets.US_ASCII);
        boolean match = false;
        for (String entry : signatures.trim().split(" +")) {
            match |= entry.startsWith(StandardWebhooks.VERSION) && MessageDigest.isEqual(want, entry.getBytes(StandardCharsets.US_ASCII));
        }
        return match;
    }

    /** Why a delivery was rejected. */
    public enum Reason {
        MISSING_HEADER, BAD_TIMESTAMP, OUTSIDE_TOLERANCE, BAD_SIGNATURE, REPLAYED
    }

    /** A delivery that must not be trusted (answer 401). Its message names the reason, never the secret or a signature. */
    public static final class Rejected extends RuntimeException {
        private final Reason reason;

        public Rejected(Reason reason, String message) {
            super(message);
            this.reason = reason;
        }

        public Reason reason() {
            return reason;
        }
    }
}
