package io.jobpilot.paging;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Paging of one result list with start/count, under the seed's stop rule (a page shorter than the page size is the
 * last). When the total is announced, the pages it implies are fetched concurrently; the rule still decides the end.
 * <p>
 * Pages are written in order, as they arrive, to one file that becomes the target when the list is complete (renamed
 * into place, never copied). A page that arrives before the ones ahead of it waits in memory, up to
 * {@value #HELD_BYTES} bytes of waiting pages; beyond that (a page held up by retries while the others go on) it waits
 * in a part file of its own instead, so memory stays flat. An index records each page once it is written, so a
 * resumed run keeps every page written before (and every part file), cuts a page the process died in the middle of,
 * fetches only the missing pages, and the final file never holds a line twice.
 */
public final class ReportPaging {
    /** How many bytes of pages that arrived out of order wait in memory; more wait on disk. */
    static final long HELD_BYTES = 16L << 20;
    private static final Pattern PART = Pattern.compile("(\\d{12})-(\\d+)\\.ndjson");
    private static final String WRITTEN = "written.ndjson";
    /** One line per page written: start, entries, bytes. */
    private static final String INDEX = "written.index";

    private final Path target;
    private final Path partsDir;
    private final Path written;
    private final Path index;
    private final int pageSize;
    private final Long announcedTotal;
    private final int maxPages;
    private final long heldBudget;
    private final AtomicLong fetched = new AtomicLong();

    // guarded by this
    private int writtenPages;
    private long writtenEntries;
    private boolean ended;
    private long ignored;
    private final TreeMap<Integer, Page> ahead = new TreeMap<>();
    private long heldBytes;
    private boolean writing;
    private final int pagesFoundOnDisk;

    /** A page fetched ahead of the next one to write: its lines in memory, or (when {@code lines} is null) its part file. */
    private record Page(int start, int entries, ByteArrayOutputStream lines) {
    }

    public ReportPaging(Path target, int pageSize, Long announcedTotal, int maxPages) throws IOException {
        this(target, pageSize, announcedTotal, maxPages, HELD_BYTES);
    }

    ReportPaging(Path target, int pageSize, Long announcedTotal, int maxPages, long heldBudget) throws IOException {
        this.target = target;
        this.partsDir = target.resolveSibling("." + target.getFileName() + ".pages");
        this.written = partsDir.resolve(WRITTEN);
        this.index = partsDir.resolve(INDEX);
        this.pageSize = pageSize;
        this.announcedTotal = announcedTotal;
        this.maxPages = maxPages;
        this.heldBudget = heldBudget;
        Files.createDirectories(partsDir);
        synchronized (this) {
            reopenWritten();
            int spilled = reopenParts();
            pagesFoundOnDisk = writtenPages + spilled;
        }
        writeReady();
    }

    /** Keeps the pages the index vouches for and cuts whatever was written after them (a page cut short by a crash). */
    private void reopenWritten() throws IOException {
        long bytes = 0;
        long indexBytes = 0;
        if (Files.exists(index)) {
            byte[] raw = Files.readAllBytes(index);
            int lineStart = 0;
            for (int i = 0; i < raw.length; i++) {
                if (raw[i] != '\n') {
                    continue;
                }
                String[] f = new String(raw, lineStart, i - lineStart, StandardCharsets.US_ASCII).split(" ");
                int count = Integer.parseInt(f[1]);
                writtenPages++;
                writtenEntries += count;
                bytes += Long.parseLong(f[2]);
                ended = count < pageSize;
                lineStart = i + 1;
            }
            indexBytes = lineStart;
        }
        truncate(written, bytes);
        truncate(index, indexBytes);
        fetched.set(writtenEntries);
    }

    private static void truncate(Path file, long size) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            if (ch.size() < size) {
                throw new IOException(file + " is shorter than its index says (" + ch.size() + " < " + size + " bytes)");
            }
            ch.truncate(size);
        }
    }

    /** Part files of pages not written yet wait as fetched; the rest (already written, half-written temps) go. */
    private int reopenParts() throws IOException {
        int spilled = 0;
        try (DirectoryStream<Path> parts = Files.newDirectoryStream(partsDir)) {
            for (Path p : parts) {
                String name = p.getFileName().toString();
                if (name.equals(WRITTEN) || name.equals(INDEX)) {
                    continue;
                }
                Matcher m = PART.matcher(name);
                int start = m.matches() ? Integer.parseInt(m.group(1)) : -1;
                if (start >= nextToWrite() && !ended) {
                    int count = Integer.parseInt(m.group(2));
                    ahead.put(start, new Page(start, count, null));
                    fetched.addAndGet(count);
                    spilled++;
                } else {
                    Files.delete(p);
                }
            }
        }
        return spilled;
    }

    public int pageSize() {
        return pageSize;
    }

    public Long announcedTotal() {
        return announcedTotal;
    }

    /** Entries fetched so far (written or waiting). */
    public long fetched() {
        return fetched.get();
    }

    /** Pages a resumed run found on disk when it opened the list. */
    public int pagesOnDisk() {
        return pagesFoundOnDisk;
    }

    private int nextToWrite() {
        return writtenPages * pageSize;
    }

    /**
     * The starts of the pages the announced total implies that are not fetched yet (fetched concurrently). When the
     * total is a whole number of pages, the empty page after them goes along: the stop rule needs a short page, and
     * asking for it with the others saves a round trip at the end.
     */
    public synchronized List<Integer> plannedStarts() {
        List<Integer> starts = new ArrayList<>();
        if (announcedTotal == null || ended) {
            return starts;
        }
        long pageCount = Math.min(announcedTotal / pageSize + 1, maxPages);
        for (long i = writtenPages; i < pageCount; i++) {
            int start = (int) (i * pageSize);
            if (!ahead.containsKey(start)) {
                starts.add(start);
            }
        }
        return starts;
    }

    /** The next page to fetch one by one, or -1 when the list is complete (a short page was written). */
    public synchronized int nextStart() {
        if (ended) {
            return -1;
        }
        for (long i = writtenPages; i < maxPages; i++) {
            int start = (int) (i * pageSize);
            if (!ahead.containsKey(start)) {
                return start;
            }
        }
        throw new IllegalStateException("more than " + maxPages + " full pages: the server never returned a short page "
                + "(raise jobpilot.paging.max-pages if the list really is that long)");
    }

    public synchronized boolean isComplete() {
        return ended;
    }

    /**
     * Takes one page (its JSON as received): the entries become lines, then the page is written if it is the next one,
     * else it waits for the ones before it. Safe to call concurrently; the conversion runs outside the lock.
     * @return the number of entries
     */
    public int writePage(int start, byte[] page) throws IOException {
        ByteArrayOutputStream lines = new ByteArrayOutputStream(page.length + 16);
        int count = NdjsonPageWriter.copyEntries(page, lines);
        accept(new Page(start, count, lines));
        return count;
    }

    private void accept(Page page) throws IOException {
        synchronized (this) {
            if (ended || page.start() < nextToWrite() || ahead.containsKey(page.start())) {
                if (ended && page.start() >= nextToWrite()) {
                    ignored += page.entries();
                }
                return;
            }
            fetched.addAndGet(page.entries());
            if (heldBytes + page.lines().size() <= heldBudget) {
                heldBytes += page.lines().size();
                ahead.put(page.start(), page);
            } else {
                spill(page);
            }
        }
        writeReady();
    }

    /** A page that cannot wait in memory waits in its part file (temp name, then renamed). */
    private void spill(Page page) throws IOException {
        Path tmp = partsDir.resolve(String.format("%012d.tmp", page.start()));
        try (OutputStream out = Files.newOutputStream(tmp)) {
            page.lines().writeTo(out);
        }
        Files.move(tmp, partFile(page), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        ahead.put(page.start(), new Page(page.start(), page.entries(), null));
    }

    private Path partFile(Page page) {
        return partsDir.resolve(String.format("%012d-%d.ndjson", page.start(), page.entries()));
    }

    /**
     * Writes the waiting pages that are next in order, each followed by its index line, up to the first short one. One
     * thread writes at a time, outside the lock: the others leave their page waiting and go on fetching, so a slow disk
     * holds up one page's thread, not all of them.
     */
    private void writeReady() throws IOException {
        synchronized (this) {
            if (writing || ended || !ahead.containsKey(nextToWrite())) {
                return;
            }
            writing = true;
        }
        boolean mine = true;
        try (FileChannel data = FileChannel.open(written, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
             OutputStream out = Channels.newOutputStream(data);
             FileChannel idx = FileChannel.open(index, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            for (Page page = nextReady(); page != null; page = nextReady()) {
                long before = data.size();
                if (page.lines() != null) {
                    page.lines().writeTo(out);
                } else {
                    Files.copy(partFile(page), out);
                }
                idx.write(ByteBuffer.wrap(String.format("%012d %d %d\n", page.start(), page.entries(), data.size() - before)
                        .getBytes(StandardCharsets.US_ASCII)));
                if (page.lines() == null) {
                    Files.delete(partFile(page));
                }
            }
            mine = false;
        } finally {
            if (mine) {
                synchronized (this) {
                    writing = false;
                }
            }
        }
    }

    /**
     * The next page in order, counted as written as it is handed to the writer; null (and the writer's turn ends, in
     * the same step, so no page that arrives meanwhile is left unwritten) when it has not arrived yet.
     */
    private synchronized Page nextReady() {
        Page page = ended ? null : ahead.remove(nextToWrite());
        if (page == null) {
            writing = false;
            return null;
        }
        if (page.lines() != null) {
            heldBytes -= page.lines().size();
        }
        writtenPages++;
        writtenEntries += page.entries();
        ended = page.entries() < pageSize;
        if (ended) {
            for (Page rest : ahead.values()) {
                ignored += rest.entries();
            }
            ahead.clear();
            heldBytes = 0;
        }
        return page;
    }

    /**
     * Puts the written pages in place as the target (an atomic rename) and removes the part files. Returns what was
     * assembled.
     */
    public synchronized Assembled assemble() throws IOException {
        if (!Files.exists(written)) {
            Files.createFile(written);
        }
        Files.move(written, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        try (Stream<Path> parts = Files.list(partsDir)) {
            for (Path p : parts.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(partsDir);
        return new Assembled(writtenEntries, writtenPages, ignored);
    }

    /** @param ignored entries on pages after the first short page (the server's list changed while paging) */
    public record Assembled(long entries, int pages, long ignored) {
    }
}
