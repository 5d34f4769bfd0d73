package io.jobpilot.paging;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReportPagingTest {
    @TempDir
    Path dir;

    private static byte[] page(int start, int count) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = start; i < start + count; i++) {
            sb.append(i > start ? "," : "").append("{\"i\":").append(i).append(",\"nested\":{\"a\":[1,2]}}");
        }
        return sb.append("]").toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void copiesBareArraysAndArraysWrappedInAnObject() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(NdjsonPageWriter.copyEntries("[{\"a\":1},{\"b\":[2]}]".getBytes(), out)).isEqualTo(2);
        assertThat(out.toString()).isEqualTo("{\"a\":1}\n{\"b\":[2]}\n");
        out.reset();
        assertThat(NdjsonPageWriter.copyEntries("{\"total\":3,\"meta\":{\"x\":1},\"reports\":[{\"a\":1}]}".getBytes(), out))
                .isEqualTo(1);
        assertThat(out.toString()).isEqualTo("{\"a\":1}\n");
    }

    @Test
    void refusesWhatIsNotAPage() {
        assertThatThrownBy(() -> NdjsonPageWriter.copyEntries("{\"status\":\"ok\"}".getBytes(), new ByteArrayOutputStream()))
                .hasMessageContaining("without an array");
        assertThatThrownBy(() -> NdjsonPageWriter.copyEntries("[{\"a\":1},".getBytes(), new ByteArrayOutputStream()))
                .isInstanceOf(java.io.IOException.class);
        assertThatThrownBy(() -> NdjsonPageWriter.copyEntries("42".getBytes(), new ByteArrayOutputStream()))
                .hasMessageContaining("not an array");
    }

    @Test
    void copiesEachEntryAsItCameOnOneLine() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String pretty = "[\n  {\n    \"a\" : \"caf\\u00e9 \\\"q\\\" \\n\",\r\n    \"b\" : [ 1, 2 ]\n  },\n  \"x\", 3, null\n]";
        assertThat(NdjsonPageWriter.copyEntries(pretty.getBytes(StandardCharsets.UTF_8), out)).isEqualTo(4);
        assertThat(out.toString(StandardCharsets.UTF_8).split("\n", -1)).containsExactly(
                "{     \"a\" : \"caf\\u00e9 \\\"q\\\" \\n\",      \"b\" : [ 1, 2 ]   }", "\"x\"", "3", "null", "");
        for (String broken : new String[] {"[{\"a\":1}{\"b\":2}]", "[{\"a\":[1}]", "[{\"a\":\"x]", "[{\"a\":1},]", "[1 2]",
                "[{\"a\":\"line\nbreak\"}]", "[{\"a\":1}"}) {
            assertThatThrownBy(() -> NdjsonPageWriter.copyEntries(broken.getBytes(), new ByteArrayOutputStream())).as(broken)
                    .isInstanceOf(NdjsonPageWriter.MalformedPageException.class);
        }
    }

    @Test
    void pagesThatArriveOutOfOrderAreWrittenInOrder() throws Exception {
        Path target = dir.resolve("reports.ndjson");
        ReportPaging paging = new ReportPaging(target, 100, 450L, 1000);
        for (int start : new int[] {300, 100, 400, 0, 200}) {
            paging.writePage(start, page(start, start == 400 ? 50 : 100));
        }
        assertThat(paging.isComplete()).isTrue();
        assertThat(parts()).as("nothing waited on disk").containsOnly("written.index", "written.ndjson");
        assertThat(paging.assemble().entries()).isEqualTo(450);
        assertThat(indexes(target)).hasSize(450).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void pagesBeyondTheMemoryBudgetWaitOnDiskUntilTheirTurn() throws Exception {
        Path target = dir.resolve("reports.ndjson");
        long onePage = page(100, 100).length;
        ReportPaging paging = new ReportPaging(target, 100, 600L, 1000, 2 * onePage);
        for (int start = 100; start <= 500; start += 100) {
            paging.writePage(start, page(start, 100));
        }
        assertThat(parts()).as("two pages held in memory, three on disk").contains("000000000300-100.ndjson",
                "000000000400-100.ndjson", "000000000500-100.ndjson", "written.ndjson", "written.index").hasSize(5);
        paging.writePage(0, page(0, 100));
        paging.writePage(600, page(600, 0));
        assertThat(paging.isComplete()).isTrue();
        assertThat(paging.assemble().entries()).isEqualTo(600);
        assertThat(indexes(target)).hasSize(600).isSorted().doesNotHaveDuplicates();
        assertThat(dir.resolve(".reports.ndjson.pages")).doesNotExist();
    }

    @Test
    void aResumedListCutsThePageTheProcessDiedInAndKeepsWaitingPages() throws Exception {
        Path target = dir.resolve("reports.ndjson");
        ReportPaging first = new ReportPaging(target, 100, 500L, 1000, 0);
        first.writePage(0, page(0, 100));
        first.writePage(300, page(300, 100));   // it waits on disk for the pages before it (the budget is 0)
        // the process dies in the middle of writing page 100: half its lines are in the file, not in the index
        Path pages = dir.resolve(".reports.ndjson.pages");
        Files.writeString(pages.resolve("written.ndjson"), "{\"i\":100}\n{\"i\":1", java.nio.file.StandardOpenOption.APPEND);
        Files.writeString(pages.resolve("000000000200.tmp"), "{\"i\":2");

        ReportPaging resumed = new ReportPaging(target, 100, 500L, 1000);
        assertThat(resumed.pagesOnDisk()).isEqualTo(2);
        assertThat(resumed.plannedStarts()).containsExactly(100, 200, 400, 500);
        assertThat(resumed.fetched()).isEqualTo(200);
        for (int start : resumed.plannedStarts()) {
            resumed.writePage(start, page(start, start == 500 ? 0 : 100));
        }
        assertThat(resumed.assemble().entries()).isEqualTo(500);
        assertThat(indexes(target)).containsExactlyElementsOf(java.util.stream.IntStream.range(0, 500).boxed().toList());
    }

    @Test
    void pagesAfterTheFirstShortPageAreIgnored() throws Exception {
        Path target = dir.resolve("reports.ndjson");
        ReportPaging paging = new ReportPaging(target, 100, 300L, 1000);
        paging.writePage(200, page(200, 100));
        paging.writePage(100, page(100, 40));
        paging.writePage(0, page(0, 100));
        paging.writePage(300, page(300, 7));
        ReportPaging.Assembled done = paging.assemble();
        assertThat(done.entries()).isEqualTo(140);
        assertThat(done.ignored()).isEqualTo(107);
        assertThat(Files.readAllLines(target)).hasSize(140);
    }

    private java.util.List<String> parts() throws java.io.IOException {
        try (java.util.stream.Stream<Path> s = Files.list(dir.resolve(".reports.ndjson.pages"))) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }

    private static java.util.List<Integer> indexes(Path file) throws java.io.IOException {
        return Files.readAllLines(file).stream().map(l -> Integer.parseInt(l.replaceAll("^\\{\"i\":(\\d+),.*", "$1"))).toList();
    }

    @Test
    void plansTheAnnouncedPagesAndEndsAtTheFirstShortPage() throws Exception {
        Path target = dir.resolve("reports.ndjson");
        ReportPaging paging = new ReportPaging(target, 100, 250L, 1000);
        assertThat(paging.plannedStarts()).containsExactly(0, 100, 200);
        paging.writePage(200, page(200, 50));
        paging.writePage(0, page(0, 100));
        assertThat(paging.nextStart()).isEqualTo(100);
        paging.writePage(100, page(100, 100));
        assertThat(paging.isComplete()).isTrue();
        ReportPaging.Assembled done = paging.assemble();
        assertThat(done.entries()).isEqualTo(250);
        assertThat(Files.readAllLines(target)).hasSize(250).first().asString().startsWith("{\"i\":0,");
        assertThat(dir.resolve(".reports.ndjson.pages")).doesNotExist();
    }

    @Test
    void aFullLastPageNeedsOneMorePageAndResumeKeepsWhatIsOnDisk() throws Exception {
        Path target = dir.resolve("reports.ndjson");
        ReportPaging first = new ReportPaging(target, 100, 200L, 1000);
        first.writePage(0, page(0, 100));
        // the process dies here; a new paging of the same file sees page 0 on disk
        ReportPaging resumed = new ReportPaging(target, 100, 200L, 1000);
        assertThat(resumed.plannedStarts()).as("the rest, and the empty page the stop rule needs").containsExactly(100, 200);
        assertThat(resumed.fetched()).isEqualTo(100);
        resumed.writePage(100, page(100, 100));
        assertThat(resumed.nextStart()).isEqualTo(200);
        resumed.writePage(200, page(200, 0));
        assertThat(resumed.isComplete()).isTrue();
        assertThat(resumed.assemble().entries()).isEqualTo(200);
        assertThat(Files.readAllLines(target)).hasSize(200).doesNotHaveDuplicates();
    }

    @Test
    void aServerThatNeverReturnsAShortPageHitsTheCap() throws Exception {
        ReportPaging paging = new ReportPaging(dir.resolve("r.ndjson"), 1, null, 3);
        for (int i = 0; i < 3; i++) {
            paging.writePage(i, page(i, 1));
        }
        assertThatThrownBy(paging::nextStart).hasMessageContaining("never returned a short page");
    }
}
