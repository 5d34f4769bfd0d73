package io.jobpilot.exago;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpilot.run.Json;
import io.jobpilot.run.UsageException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExagoBatchItemsTest {
    private static JsonNode json(String s) throws Exception {
        return Json.MAPPER.readTree(s.replace('\'', '"'));
    }

    private final JsonNode requested;

    ExagoBatchItemsTest() throws Exception {
        requested = json("[{'Url':'Sessions','Method':'POST'},{'Url':'Roles/X','Method':'PATCH'},{'Url':'Settings','Method':'PATCH'}]");
    }

    @Test
    void stringCodesAreParsedAndFailuresNamedOneBased() throws Exception {
        var checked = ExagoBatchItems.check(requested, json("[{'ReturnCode':'201','ResponseContent':{'Id':'s1','AppUrl':'a'}},"
                + "{'ReturnCode':'404','ResponseContent':{'reason':'Role X does not exist','stacktrace':'at ...'}},"
                + "{'ReturnCode':204,'ResponseContent':{'StatusCode':204}}]"));
        assertThat(checked.failed()).hasSize(1);
        assertThat(checked.failed().get(0).describe(3)).isEqualTo("item 2 of 3 (PATCH Roles/X) answered 404: Role X does not exist");
        assertThat(checked.codesNotStrings()).isEqualTo(1);
        assertThat(checked.answered()).isEqualTo(3);
    }

    @Test
    void aMissingOrUnreadableCodeIsAFailure() throws Exception {
        var checked = ExagoBatchItems.check(requested, json("[{'ResponseContent':{}},{'ReturnCode':'OK'}]"));
        assertThat(checked.failed()).extracting(ExagoBatchItems.Failed::returnCode).containsExactly("no ReturnCode", "ReturnCode 'OK'");
        assertThat(checked.answered()).isEqualTo(2);
    }

    @Test
    void theNewSessionIsTheAnswerToPostSessions() throws Exception {
        JsonNode answer = json("[{'ReturnCode':'201','ResponseContent':{'Id':'s1','AppUrl':'ExagoHome.aspx?d=1'}}]");
        assertThat(ExagoBatchItems.newSession(requested, answer).path("Id").asText()).isEqualTo("s1");
        assertThat(ExagoBatch.withoutSingleUseUrls(answer).toString()).doesNotContain("ExagoHome.aspx");
        assertThat(ExagoBatchItems.newSession(requested, json("[{'ReturnCode':'500','ResponseContent':{'reason':'x'}}]"))).isNull();
    }

    @Test
    void batchRulesNameTheItem() throws Exception {
        ExagoBatchSpec.checkItems("b", json("[{'Url':'Roles/A','Method':'PATCH'}]"), true);
        assertThatThrownBy(() -> ExagoBatchSpec.checkItems("b", json("[{'Url':'Sessions','Method':'POST'},{'Url':'Sessions/1','Method':'DELETE'}]"), false))
                .isInstanceOf(UsageException.class).hasMessageContaining("item 2 of 2 is DELETE Sessions/1");
        assertThatThrownBy(() -> ExagoBatchSpec.checkItems("b", json("[{'Url':'Sessions','Method':'POST','Payload':3}]"), false))
                .hasMessageContaining("item 1 of 1 (POST Sessions) has a Payload that is a JSON number");
    }

    @Test
    void basicHeaderFollowsTheDocumentedForms() {
        assertThat(new ExagoAuth(null, null).header()).isEqualTo("Basic Og==");
        assertThat(new ExagoAuth("u", "k").header()).isEqualTo("Basic dTpr");
        assertThat(new ExagoAuth(null, "k").toString()).doesNotContain("k]");
    }
}
