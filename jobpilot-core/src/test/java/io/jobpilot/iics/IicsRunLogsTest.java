package io.jobpilot.iics;

import io.jobpilot.run.Json;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class IicsRunLogsTest {

    private static List<IicsRunLogs.Download> plan(String entry) throws Exception {
        return List.copyOf(IicsRunLogs.plan(Json.MAPPER.readTree(entry.replace('\'', '"'))));
    }

    @Test
    void aTaskHasItsSessionLogAndWithRejectedRowsItsErrorLog() throws Exception {
        List<IicsRunLogs.Download> plan = plan("{'id':'0119Y4C1000000000QPJ','type':'MTT','state':2,'failedTargetRows':4,"
                + "'entries':[{'id':'X','state':2}]}");

        assertThat(plan).extracting(d -> d.request().url()).containsExactly(
                "/api/v2/activity/activityLog/0119Y4C1000000000QPJ/sessionLog", "/api/v2/activity/errorLog/0119Y4C1000000000QPJ");
        assertThat(plan).extracting(IicsRunLogs.Download::artifact).containsExactly("session", "error.log");
        assertThat(plan).allSatisfy(d -> assertThat(d.request().lookup()).as("a 404 is an answer").isTrue());
        assertThat(plan.get(0).request().headers()).containsEntry("Accept", "*/*");
    }

    @Test
    void aLinearTaskflowHasTheLogOfEachFailedOrWarningTaskByItemId() throws Exception {
        List<IicsRunLogs.Download> plan = plan("{'id':'P1','type':'WORKFLOW','state':2,'entries':[{'id':'C1','state':1},"
                + "{'id':'C2','state':2},{'id':'C3','state':3}]}");

        assertThat(plan).extracting(d -> d.request().url()).containsExactly(
                "/api/v2/activity/activityLog/P1/sessionLog?itemId=C2", "/api/v2/activity/activityLog/P1/sessionLog?itemId=C3");
        assertThat(plan).extracting(IicsRunLogs.Download::artifact).containsExactly("session-C2", "session-C3");
    }

    @Test
    void anEntryWithoutAnIdHasNoLogsToAskFor() throws Exception {
        assertThat(plan("{'state':3,'failedTargetRows':1}")).isEmpty();
    }
}
