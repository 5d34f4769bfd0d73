package io.jobpilot.notify;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

/**
 * The symmetric signature of the Standard Webhooks specification (https://www.standardwebhooks.com/), shared by the
 * sender ({@link NotifySigner}) and the receiver's check ({@link WebhookVerifier}) so that both compute it one way:
 * {@code v1,} and the base64 HMAC-SHA256 of {@code "{webhook-id}.{webhook-timestamp}.{body}"}.
 */
final class StandardWebhooks {
    static final String ID = "webhook-id";
    static final String TIMESTAMP = "webhook-timestamp";
    static final String SIGNATURE = "webhook-signature";
    /** The spec's serialization of a symmetric secret: this prefix, then the key bytes in base64. */
    static final String SECRET_PREFIX = "whsec_";
    static final String VERSION = "v1,";

    private static final String ALGORITHM = "HmacSHA256";

    private StandardWebhooks() {
    }

    /**
     * The HMAC key a secret stands for: {@code whsec_<base64>} is the decoded bytes, as the spec (and every Standard
     * Webhooks library) reads it; any other secret is its own UTF-8 bytes, so a plain secret keeps working.
     *
     * @throws IllegalArgumentException the secret starts with whsec_ but the rest is no base64 key (the message never
     *                                  contains the secret)
     */
    static byte[] key(String secret) {
        if (!secret.startsWith(SECRET_PREFIX)) {
            return secret.getBytes(StandardCharsets.UTF_8);
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the signing secret starts with " + SECRET_PREFIX + " but the rest is not base64");
        }
        if (key.length == 0) {
            throw new IllegalArgumentException("the signing secret is " + SECRET_PREFIX + " with no key after it");
        }
        return key;
    }

    /** The {@code webhook-signature} entry of one attempt. */
    static String signature(byte[] key, String id, long timestamp, byte[] body) {
        byte[] prefix = (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
        return VERSION + Base64.getEncoder().encodeToString(hmac(key, prefix, body));
    }

    /** HMAC-SHA256 of the parts, one after the other. */
    static byte[] hmac(byte[] key, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            for (byte[] part : parts) {
                mac.update(part);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available: " + e.getMessage(), e);
        }
    }
}
