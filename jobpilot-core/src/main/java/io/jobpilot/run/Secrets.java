package io.jobpilot.run;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/** Keeps passwords, tokens, session ids and API keys out of logs, artifacts, the ledger and messages. */
public final class Secrets {
    public static final String MASK = "****";
    private static final Pattern SECRET_NAME = Pattern.compile(
            "(?i).*(password|passwd|secret|token|api-?key|apikey|rest-key|session-?id|sessionid|authorization|appurl|credential|jwt).*");
    private static final Pattern SECRET_QUERY = Pattern.compile(
            "(?i)([?&](?:apiKey|api_key|icSessionId|sessionId|token|password|access_token)=)[^&#\\s]*");
    /** The token of a callback URL (iics-job -p callback=true). */
    private static final Pattern CALLBACK_TOKEN = Pattern.compile("(/callbacks/[a-z]+/)[A-Za-z0-9_-]+");
    /** A JSON web token (header.payload.signature, base64url; the header always starts with {"...: eyJ). */
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]*");
    private static final Pattern BEARER = Pattern.compile("(?i)(bearer|basic)\\s+[A-Za-z0-9._~+/=-]+");

    private Secrets() {
    }

    public static boolean isSecretName(String name) {
        return name != null && SECRET_NAME.matcher(name).matches();
    }

    public static Map<String, String> maskParams(Map<String, String> params) {
        Map<String, String> masked = new LinkedHashMap<>();
        params.forEach((k, v) -> masked.put(k, isSecretName(k) ? MASK : v));
        return masked;
    }

    /** Masks secret query parameters and Authorization-style values inside any text. */
    public static String scrub(String text) {
        if (text == null) {
            return null;
        }
        String s = SECRET_QUERY.matcher(text).replaceAll("$1" + MASK);
        s = CALLBACK_TOKEN.matcher(s).replaceAll("$1" + MASK);
        s = JWT.matcher(s).replaceAll(MASK);
        return BEARER.matcher(s).replaceAll("$1 " + MASK);
    }

    /** Masks every occurrence of known secret values (passwords, tokens) in text. */
    public static String scrub(String text, Iterable<String> knownSecrets) {
        String s = scrub(text);
        if (s == null) {
            return null;
        }
        for (String secret : knownSecrets) {
            if (secret != null && secret.length() >= 4) {
                s = s.replace(secret, MASK);
            }
        }
        return s;
    }
}
