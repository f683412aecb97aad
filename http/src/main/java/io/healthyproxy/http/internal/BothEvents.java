package io.healthyproxy.http.internal;

/** Tells two {@link ProxyEvents} the same things (metrics and the access log). */
final class BothEvents implements ProxyEvents {

    private final ProxyEvents first;
    private final ProxyEvents second;

    BothEvents(ProxyEvents first, ProxyEvents second) {
        this.first = first;
        this.second = second;
    }

    @Override
    public void requestCompleted(ProxiedRequest request, int status, String proxyError, String backend, int attempts,
            long durationNanos, long responseBytes) {
        first.requestCompleted(request, status, proxyError, backend, attempts, durationNanos, responseBytes);
        second.requestCompleted(request, status, proxyError, backend, attempts, durationNanos, responseBytes);
    }

    @Override
    public void retried(AttemptFailure failure) {
        first.retried(failure);
        second.retried(failure);
    }

    @Override
    public void hedged() {
        first.hedged();
        second.hedged();
    }

    @Override
    public void attemptFailed(String cluster, String backend, AttemptFailure failure) {
        first.attemptFailed(cluster, backend, failure);
        second.attemptFailed(cluster, backend, failure);
    }
}
