package io.jobpilot.sandbox;

import com.sun.net.httpserver.HttpServer;
import io.jobpilot.sandbox.iics.IicsSimulator;
import io.jobpilot.sandbox.exago.ExagoSimulator;
import io.jobpilot.sandbox.infolink.InfoLinkSimulator;
import io.jobpilot.sandbox.oneintegrate.OneIntegrateSimulator;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The vendor simulators on one local HTTP port (JDK HttpServer): stateful, with fault injection and a journal of
 * every request. Used by `jobpilot demo`, `jobpilot simulate` and the tests.
 */
public final class Sandbox implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;
    private final FaultInjector faults = new FaultInjector();
    private final RequestJournal journal = new RequestJournal();
    private final OneIntegrateSimulator oneIntegrate = new OneIntegrateSimulator();
    private final IicsSimulator iics = new IicsSimulator();
    private final ExagoSimulator exago = new ExagoSimulator();
    private final InfoLinkSimulator infoLink = new InfoLinkSimulator();
    private final List<VendorSimulator> simulators = List.of(oneIntegrate, iics, exago, infoLink);

    static {
        // The JDK server leaves Nagle's algorithm on (vendor servers, Tomcat among them, turn it off): it writes an
        // answer's headers and body apart, so a small body waited for the client's delayed ACK, about 40 ms per call.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private Sandbox(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 200);
        executor = Executors.newFixedThreadPool(32, r -> {
            Thread t = new Thread(r, "sandbox-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        for (VendorSimulator sim : simulators) {
            server.createContext(sim.root(), ex -> {
                try {
                    SimRequest req = new SimRequest(ex, sim.root());
                    journal.record(new RequestJournal.Entry(Instant.now(), sim.vendor(), req.method(), req.path(),
                            ex.getRequestURI().getRawQuery(), req.header("Authorization"), req.body(), req.headerNames()));
                    Optional<Fault> fault = faults.take(req.method(), req.path());
                    if (fault.isPresent() && fault.get().afterActing) {
                        req.deferAnswer(fault.get());
                    } else if (fault.isPresent()) {
                        Fault f = fault.get();
                        if (f.delayMs > 0) {
                            Thread.sleep(f.delayMs);
                        }
                        if (f.drop) {
                            ex.close();
                            return;
                        }
                        if (!f.isPassThrough()) {
                            req.send(f.status, f.contentType, f.body.getBytes(StandardCharsets.UTF_8), f.headers);
                            return;
                        }
                    }
                    sim.handle(req);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    ex.close();
                } catch (RuntimeException | IOException e) {
                    byte[] msg = ("{\"message\":\"simulator error: " + String.valueOf(e.getMessage()).replace("\"", "'") + "\"}")
                            .getBytes(StandardCharsets.UTF_8);
                    try {
                        ex.sendResponseHeaders(500, msg.length);
                        ex.getResponseBody().write(msg);
                    } catch (IOException ignored) {
                        // the client is gone
                    }
                    ex.close();
                }
            });
        }
        server.start();
    }

    /** Port 0 picks a free one. */
    public static Sandbox start(int port) throws IOException {
        return new Sandbox(port);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    public FaultInjector faults() {
        return faults;
    }

    public RequestJournal journal() {
        return journal;
    }

    public OneIntegrateSimulator oneIntegrate() {
        return oneIntegrate;
    }

    public IicsSimulator iics() {
        return iics;
    }

    public ExagoSimulator exago() {
        return exago;
    }

    public InfoLinkSimulator infoLink() {
        return infoLink;
    }

    /** The properties that point jobpilot at these simulators, with their credentials. */
    public Map<String, String> connectionProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("jobpilot.oneintegrate.base-url", baseUrl() + oneIntegrate.root());
        p.put("jobpilot.oneintegrate.username", OneIntegrateSimulator.USER);
        p.put("jobpilot.oneintegrate.password", OneIntegrateSimulator.PASSWORD);
        p.put("jobpilot.iics.login-url", baseUrl() + iics.root());
        p.put("jobpilot.iics.username", IicsSimulator.USER);
        p.put("jobpilot.iics.password", IicsSimulator.PASSWORD);
        p.put("jobpilot.exago.base-url", baseUrl() + exago.root());
        p.put("jobpilot.exago.user-id", ExagoSimulator.USER_ID);
        p.put("jobpilot.exago.rest-key", ExagoSimulator.REST_KEY);
        p.put("jobpilot.infolink.base-url", baseUrl() + infoLink.root());
        p.put("jobpilot.infolink.api-key", InfoLinkSimulator.API_KEY);
        return p;
    }

    public List<String> describe() {
        return simulators.stream().map(s -> s.describe(baseUrl() + s.root())).toList();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
