package io.jobpilot.sandbox;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** Every request a simulator saw, so tests (and users) can check exactly what was sent. */
public final class RequestJournal {
    /** @param headerNames the names of every header the request carried, lower case */
    public record Entry(Instant at, String vendor, String method, String path, String query, String authorization, String body,
                        java.util.Set<String> headerNames) {
        public boolean is(String m, String pathRegex) {
            return method.equalsIgnoreCase(m) && path.matches(pathRegex);
        }
    }

    private final List<Entry> entries = new CopyOnWriteArrayList<>();

    void record(Entry e) {
        entries.add(e);
    }

    public List<Entry> all() {
        return List.copyOf(entries);
    }

    public List<Entry> matching(String method, String pathRegex) {
        return entries.stream().filter(e -> e.is(method, pathRegex)).toList();
    }

    public long count(String method, String pathRegex) {
        return matching(method, pathRegex).size();
    }

    public long count(Predicate<Entry> p) {
        return entries.stream().filter(p).count();
    }

    public void clear() {
        entries.clear();
    }
}
