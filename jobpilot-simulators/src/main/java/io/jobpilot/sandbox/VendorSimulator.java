package io.jobpilot.sandbox;

import java.io.IOException;

/** One vendor API served under a root path of the sandbox server. */
public interface VendorSimulator {
    /** E.g. "/1Integrate/rest". */
    String root();

    String vendor();

    void handle(SimRequest request) throws IOException;

    /** One line for `jobpilot simulate`: where it is and how to log in. */
    String describe(String baseUrl);
}
