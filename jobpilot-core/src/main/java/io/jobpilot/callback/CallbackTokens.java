package io.jobpilot.callback;

import io.jobpilot.iics.IicsJobApi;
import io.jobpilot.iics.IicsJobSpec;
import io.jobpilot.ledger.CallbackRecords;
import io.jobpilot.run.Run;
import io.jobpilot.run.RunExchange;
import org.apache.camel.Exchange;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Per-run callback tokens: 32 random bytes (SecureRandom, base64url), so a callback URL cannot be guessed or derived
 * from the runId. Only the token's SHA-256 goes to the ledger; the token itself lives in the callbackURL sent to IICS.
 */
public final class CallbackTokens {
    public static final String PATH = "/callbacks/iics/";

    private final String publicUrl;
    private final CallbackRecords records;
    private final SecureRandom random = new SecureRandom();

    /** @param publicUrl jobpilot.callback.public-url: where IICS reaches this jobpilot (null: callbacks are not possible) */
    public CallbackTokens(String publicUrl, CallbackRecords records) {
        this.publicUrl = publicUrl == null ? null : publicUrl.replaceAll("/+$", "");
        this.records = records;
    }

    /** For routes: the run asked for a callback (-p callback=true). */
    public boolean wanted(Exchange e) {
        return IicsJobSpec.callbackRequested(RunExchange.run(e).request().params());
    }

    /** A new token for the run: its hash to the ledger first, then the callbackURL for IICS's start request. */
    public void issue(Exchange e) {
        Run run = RunExchange.run(e);
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        records.token(run.runId(), hash(token));
        e.setProperty(IicsJobApi.CALLBACK_URL, publicUrl + PATH + token);
    }

    /** The run a presented token belongs to. */
    public Optional<String> runOf(String token) {
        return records.runOf(hash(token));
    }

    /** SHA-256 of the token, in hex: what the ledger keeps. */
    public static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
