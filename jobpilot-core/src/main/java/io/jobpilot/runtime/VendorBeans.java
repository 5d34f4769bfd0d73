package io.jobpilot.runtime;

import io.jobpilot.config.JobpilotConfig;
import io.jobpilot.exago.ExagoAuth;
import io.jobpilot.exago.ExagoBatch;
import io.jobpilot.http.HttpExchanges;
import io.jobpilot.iics.IicsErrors;
import io.jobpilot.iics.IicsExportApi;
import io.jobpilot.iics.IicsImportApi;
import io.jobpilot.iics.IicsJobApi;
import io.jobpilot.iics.IicsJwt;
import io.jobpilot.iics.IicsLookup;
import io.jobpilot.iics.IicsRunLogs;
import io.jobpilot.iics.IicsSession;
import io.jobpilot.iics.IicsStartOptions;
import io.jobpilot.iics.IicsTaskflowApi;
import io.jobpilot.iics.IicsTaskflowSession;
import io.jobpilot.infolink.InfoLinkApi;
import io.jobpilot.ledger.Ledger;
import io.jobpilot.oneintegrate.OneIntegrateApi;
import io.jobpilot.oneintegrate.OneIntegrateToken;
import io.jobpilot.run.Metrics;
import io.jobpilot.run.Progress;
import io.jobpilot.run.Runs;
import io.jobpilot.run.StartIntents;

import java.time.Clock;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Each vendor's beans, built from the configuration and bound under the names its routes refer to. A new vendor is
 * one method here and one entry in {@link #ALL}; what they share comes from {@link JobpilotBeans} as a {@link Wiring}.
 */
final class VendorBeans {
    /** What a vendor's beans are built from: the configuration and the shared beans they call. */
    record Wiring(JobpilotConfig config, Clock clock, Ledger ledger, Runs runs, Progress progress, Metrics metrics,
                  HttpExchanges http, StartIntents startIntents) {
    }

    /** One vendor's beans into the registry. */
    private interface Vendor {
        void bind(Wiring w, BiConsumer<String, Object> registry);
    }

    private static final List<Vendor> ALL = List.of(VendorBeans::oneIntegrate, VendorBeans::iics, VendorBeans::exago,
            VendorBeans::infoLink);

    private VendorBeans() {
    }

    static void bindAll(Wiring w, BiConsumer<String, Object> registry) {
        ALL.forEach(vendor -> vendor.bind(w, registry));
    }

    private static void oneIntegrate(Wiring w, BiConsumer<String, Object> registry) {
        JobpilotConfig config = w.config();
        registry.accept("oneIntegrateToken", new OneIntegrateToken(trimSlash(config.get("jobpilot.oneintegrate.base-url")),
                config.get("jobpilot.oneintegrate.username"), config.get("jobpilot.oneintegrate.password"),
                config.duration("jobpilot.oneintegrate.token-refresh-margin"), w.clock(), w.http(),
                config.get("jobpilot.oneintegrate.api-key") == null ? null : new OneIntegrateToken.ApiKey(
                        config.require("jobpilot.oneintegrate.api-key-header"),
                        config.require("jobpilot.oneintegrate.api-key-format"), config.get("jobpilot.oneintegrate.api-key"))));
        registry.accept("oneIntegrate", new OneIntegrateApi(config.get("jobpilot.oneintegrate.base-url"), w.ledger(), w.startIntents(),
                w.runs(), w.progress(), config.integer("jobpilot.paging.max-pages"),
                config.duration("jobpilot.progress.every").toMillis(), w.metrics()));
    }

    private static void iics(Wiring w, BiConsumer<String, Object> registry) {
        JobpilotConfig config = w.config();
        IicsJwt jwt = IicsJwt.of(config.get("jobpilot.iics.jwt"), config.get("jobpilot.iics.jwt-file"),
                config.get("jobpilot.iics.jwt-command"), config.duration("jobpilot.iics.jwt-command-timeout"));
        IicsSession session = new IicsSession(config.get("jobpilot.iics.login-url"), config.get("jobpilot.iics.username"),
                config.get("jobpilot.iics.password"), config.get("jobpilot.iics.org-id"), jwt,
                config.duration("jobpilot.iics.session-idle-limit"), w.clock());
        registry.accept("iicsSession", session);
        registry.accept("iicsErrors", new IicsErrors());
        registry.accept("iicsLookup", new IicsLookup(w.ledger()));
        registry.accept("iicsRunLogs", new IicsRunLogs());
        registry.accept("iicsExport", new IicsExportApi(w.ledger(), w.runs(), w.startIntents()));
        registry.accept("iicsImport", new IicsImportApi(w.ledger(), w.runs(), w.startIntents()));
        registry.accept("iicsJob", new IicsJobApi(w.ledger(), w.runs(), w.startIntents(),
                config.duration("jobpilot.iics.stop-confirm-timeout"), config.duration("jobpilot.start.clock-skew"), w.clock(),
                IicsStartOptions.of(config.require("jobpilot.iics.parameter-file-placement"))));
        iicsTaskflow(w, session, registry);
    }

    /** Taskflows (iics-taskflow) share the IICS session. */
    private static void iicsTaskflow(Wiring w, IicsSession session, BiConsumer<String, Object> registry) {
        JobpilotConfig config = w.config();
        registry.accept("iicsTaskflowSession", new IicsTaskflowSession(session, config.get("jobpilot.iics.taskflow-base-url"),
                config.require("jobpilot.iics.taskflow-session-header")));
        registry.accept("iicsTaskflow", new IicsTaskflowApi(w.ledger(), w.runs(), w.startIntents(),
                IicsTaskflowApi.BodyShape.of(config.require("jobpilot.iics.taskflow-body")),
                config.duration("jobpilot.iics.stop-confirm-timeout"), config.duration("jobpilot.start.clock-skew"), w.clock()));
    }

    private static void exago(Wiring w, BiConsumer<String, Object> registry) {
        JobpilotConfig config = w.config();
        registry.accept("exagoBatch", new ExagoBatch(config.get("jobpilot.exago.base-url"),
                new ExagoAuth(config.get("jobpilot.exago.user-id"), config.get("jobpilot.exago.rest-key")), w.ledger(),
                w.startIntents(), w.runs()));
    }

    private static void infoLink(Wiring w, BiConsumer<String, Object> registry) {
        JobpilotConfig config = w.config();
        registry.accept("infoLink", new InfoLinkApi(config.get("jobpilot.infolink.base-url"), config.get("jobpilot.infolink.api-key"),
                InfoLinkApi.pathStyle(config.require("jobpilot.infolink.path-style")),
                config.require("jobpilot.infolink.stop-path"), w.ledger(), w.runs(), w.progress()));
    }

    private static String trimSlash(String url) {
        return url == null ? null : url.replaceAll("/+$", "");
    }
}
