package io.jobpilot.oneintegrate;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Collectors;

/** 1Integrate resource paths: folders separated by '/', each segment percent-encoded (spaces as %20, never '+'). */
public final class SessionPaths {
    private SessionPaths() {
    }

    public static String encode(String path) {
        return Arrays.stream(path.strip().split("/"))
                .filter(s -> !s.isEmpty())
                .map(SessionPaths::encodeSegment)
                .collect(Collectors.joining("/"));
    }

    public static String encodeSegment(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    public static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
