package io.jobpilot.infolink;

import io.jobpilot.run.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InfoLinkResultsTest {
    @TempDir
    Path dir;

    private List<InfoLinkResults.ResultSet> write(String json) throws Exception {
        return InfoLinkResults.write(new ByteArrayInputStream(json.replace('\'', '"').getBytes(StandardCharsets.UTF_8)), dir);
    }

    @Test
    void eachNamedSetBecomesOneRecordPerLineWithItsSchema() throws Exception {
        var sets = write("{'result':{'status':'completed','results':["
                + "{'result':{'schema':[{'name':'id'},{'name':'company_name'}],'records':[{'company_name':'IBM','id':'1'},"
                + "{'company_name':'Microsoft','id':'2'}]},'name':'companies'},"
                + "{'name':'empty','result':{'records':[]}}]},'status':'success'}");

        assertThat(sets).extracting(InfoLinkResults.ResultSet::name, InfoLinkResults.ResultSet::records)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("companies", 2L), org.assertj.core.groups.Tuple.tuple("empty", 0L));
        assertThat(Files.readAllLines(dir.resolve("companies.ndjson"))).containsExactly("{\"company_name\":\"IBM\",\"id\":\"1\"}",
                "{\"company_name\":\"Microsoft\",\"id\":\"2\"}");
        assertThat(Json.MAPPER.readTree(dir.resolve("companies.schema.json").toFile())).hasSize(2);
        assertThat(dir.resolve("empty.ndjson")).isEmptyFile();
        assertThat(sets.get(1).schemaFile()).isNull();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void unsafeMissingAndRepeatedNamesGetDistinctSafeFiles() throws Exception {
        var sets = write("{'status':'success','result':{'results':[{'name':'../etc/x','result':{'records':[1]}},"
                + "{'result':{'records':[2]}},{'name':'../etc/x','result':{'records':[3]}}]}}");

        assertThat(sets).extracting(InfoLinkResults.ResultSet::file).containsExactly("_._etc_x.ndjson",
                "result-2.ndjson", "_._etc_x-2.ndjson");
    }

    @Test
    void anAnswerWithoutResultsWritesNothingAndATruncatedOneFails() throws Exception {
        assertThat(write("{'status':'success','result':{'status':'completed'}}")).isEmpty();
        assertThatThrownBy(() -> write("{'status':'success','result':{'results':[{'name':'a','result':{'records':[{'id':1},"))
                .isInstanceOf(java.io.IOException.class);
    }
}
