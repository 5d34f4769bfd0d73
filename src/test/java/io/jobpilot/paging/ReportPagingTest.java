package io.jobpilot.paging;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReportPagingTest {
    @TempDir
    Path dir;

    private static ByteArrayInputStream page(int start, int count) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = start; i < start + count; i++) {
            sb.append(i > start ? "," : "").append("{\"i\":").append(i).append(",\"nested\":{\"a\":[1,2]}}");
        }
        return new ByteArrayInputStream(sb.append("]").toString().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void copiesBareArraysAndArraysWrappedInAnObject() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(NdjsonPageWriter.copyEntries(new ByteArrayInputStream("[{\"a\":1},{\"b\":[2]}]".getBytes()), out)).isEqualTo(2);
        assertThat(out.toString()).isEqualTo("{\"a\":1}\n{\"b\":[2]}\n");
        out.reset();
        assertThat(NdjsonPageWriter.copyEntries(new ByteArrayInputStream("{\"total\":3,\"meta\":{\"x\":1},\"reports\":[{\"a\":1}]}".getBytes()), out))
                .isEqualTo(1);
        assertThat(out.toString()).isEqualTo("{\"a\":1}\n");
    }

    @Test
    void refusesWhatIsNotAPage() {
        assertThatThrownBy(() -> NdjsonPageWriter.copyEntries(new ByteArrayInputStream("{\"status\":\"ok\"}".getBytes()), new ByteArrayOutputStream()))
                .hasMessageContaining("without an array");
        assertThatThrownBy(() -> NdjsonPageWriter.copyEntries(new ByteArrayInputStream("[{\"a\":1},".getBytes()), new ByteArrayOutputStream()))
                .isInstanceOf(java.io.IOException.class);
        assertThatThrownBy(() -> NdjsonPageWriter.copyEntries(new ByteArrayInputStream("42".getBytes()), new ByteArrayOutputStream()))
                .hasMessageContaining("not an array");
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
        assertThat(resumed.plannedStarts()).containsExactly(100);
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
