package io.jobpilot.paging;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Paging of one result list with start/count, under the seed's stop rule (a page shorter than the page size is the
 * last). When the total is announced, the pages it implies are fetched concurrently; the rule still decides the end.
 * Each page lands in its own part file (written to a temp name, then renamed), so a resumed run fetches only the
 * missing pages and the final file never holds a line twice.
 */
public final class ReportPaging {
    private static final Pattern PART = Pattern.compile("(\\d{12})-(\\d+)\\.ndjson");

    private final Path target;
    private final Path partsDir;
    private final int pageSize;
    private final Long announcedTotal;
    private final int maxPages;
    private final ConcurrentSkipListMap<Integer, Integer> pages = new ConcurrentSkipListMap<>();
    private final AtomicLong fetched = new AtomicLong();

    public ReportPaging(Path target, int pageSize, Long announcedTotal, int maxPages) throws IOException {
        this.target = target;
        this.partsDir = target.resolveSibling("." + target.getFileName() + ".pages");
        this.pageSize = pageSize;
        this.announcedTotal = announcedTotal;
        this.maxPages = maxPages;
        Files.createDirectories(partsDir);
        try (DirectoryStream<Path> parts = Files.newDirectoryStream(partsDir, "*.ndjson")) {
            for (Path p : parts) {
                Matcher m = PART.matcher(p.getFileName().toString());
                if (m.matches()) {
                    int count = Integer.parseInt(m.group(2));
                    pages.put(Integer.parseInt(m.group(1)), count);
                    fetched.addAndGet(count);
                }
            }
        }
    }

    public int pageSize() {
        return pageSize;
    }

    public Long announcedTotal() {
        return announcedTotal;
    }

    public long fetched() {
        return fetched.get();
    }

    public int pagesOnDisk() {
        return pages.size();
    }

    /** The starts of the pages the announced total implies that are not on disk yet (fetched concurrently). */
    public List<Integer> plannedStarts() {
        List<Integer> starts = new ArrayList<>();
        if (announcedTotal == null) {
            return starts;
        }
        long pageCount = Math.min((announcedTotal + pageSize - 1) / pageSize, maxPages);
        for (long i = 0; i < pageCount; i++) {
            int start = (int) (i * pageSize);
            if (!pages.containsKey(start)) {
                starts.add(start);
            }
        }
        return starts;
    }

    /**
     * The next page to fetch one by one, or -1 when the list is complete: walking from 0, the first page not on disk;
     * complete at the first short page.
     */
    public int nextStart() {
        for (int i = 0; i < maxPages; i++) {
            int start = i * pageSize;
            Integer count = pages.get(start);
            if (count == null) {
                return start;
            }
            if (count < pageSize) {
                return -1;
            }
        }
        throw new IllegalStateException("more than " + maxPages + " full pages: the server never returned a short page "
                + "(raise jobpilot.paging.max-pages if the list really is that long)");
    }

    public boolean isComplete() {
        return nextStart() < 0;
    }

    /** Streams one page body into its part file; returns the number of entries. Safe to call concurrently. */
    public int writePage(int start, java.io.InputStream body) throws IOException {
        Path tmp = partsDir.resolve(String.format("%012d.tmp-%d", start, Thread.currentThread().getId()));
        int count;
        try (OutputStream out = Files.newOutputStream(tmp)) {
            count = NdjsonPageWriter.copyEntries(body, out);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, partsDir.resolve(String.format("%012d-%d.ndjson", start, count)), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
        Integer before = pages.put(start, count);
        fetched.addAndGet(count - (before == null ? 0 : before));
        return count;
    }

    /**
     * Concatenates the pages in order up to the first short one into the target (atomically renamed into place) and
     * removes the part files. Returns what was assembled.
     */
    public Assembled assemble() throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        long total = 0;
        long ignored = 0;
        boolean ended = false;
        try (OutputStream out = Files.newOutputStream(tmp)) {
            for (Map.Entry<Integer, Integer> page : pages.entrySet()) {
                if (ended) {
                    ignored += page.getValue();
                    continue;
                }
                Files.copy(partsDir.resolve(String.format("%012d-%d.ndjson", page.getKey(), page.getValue())), out);
                total += page.getValue();
                ended = page.getValue() < pageSize;
            }
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        try (Stream<Path> parts = Files.list(partsDir)) {
            for (Path p : parts.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(partsDir);
        return new Assembled(total, pages.size(), ignored);
    }

    /** @param ignored entries on pages after the first short page (the server's list changed while paging) */
    public record Assembled(long entries, int pages, long ignored) {
    }
}
