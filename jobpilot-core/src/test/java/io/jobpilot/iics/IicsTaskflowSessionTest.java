package io.jobpilot.iics;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IicsTaskflowSessionTest {
    @Test
    void thePodRootIsBaseApiUrlWithoutSaas() {
        assertThat(IicsTaskflowSession.podRoot("https://na1.dm-us.informaticacloud.com/saas")).isEqualTo("https://na1.dm-us.informaticacloud.com");
        assertThat(IicsTaskflowSession.podRoot("https://na1.dm-us.informaticacloud.com/saas/")).isEqualTo("https://na1.dm-us.informaticacloud.com");
        assertThat(IicsTaskflowSession.podRoot("https://emc1-cai.dm1-em.informaticacloud.com")).isEqualTo("https://emc1-cai.dm1-em.informaticacloud.com");
    }
}
