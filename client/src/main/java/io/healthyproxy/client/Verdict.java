package io.healthyproxy.client;

/** What one try's outcome says about the backend that made it, as a {@link Classifier} judges it. */
public enum Verdict {
    /** The backend did its job (whatever the answer means to the caller): counts for it, ends the call. */
    SUCCESS,
    /** The backend's fault (refused, reset, broke, answered "unavailable"): counts against it; tried elsewhere if the call may be repeated. */
    FAILURE,
    /** Says nothing about the backend (the caller cancelled, the request was bad): not counted, ends the call. */
    NEUTRAL
}
