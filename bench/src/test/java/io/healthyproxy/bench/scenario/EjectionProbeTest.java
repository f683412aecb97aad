package io.healthyproxy.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each proxy's own account of its ejections, read from what it really writes (samples from HAProxy 2.6, NGINX 1.22). */
class EjectionProbeTest {

    /** HAProxy 2.6's {@code show stat} header, as its stats socket sends it (the start of it: columns come in order). */
    private static final String HEADER = "# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,"
            + "wretr,wredis,status,weight,act,bck,chkfail,chkdown,lastchg,downtime,qlimit,pid,iid,sid,throttle,lbtot,"
            + "tracked,type,rate,rate_lim,rate_max,check_status,check_code,check_duration,hrsp_1xx,hrsp_2xx,hrsp_3xx,"
            + "hrsp_4xx,hrsp_5xx,hrsp_other,hanafail,req_rate,req_rate_max,req_tot,";

    private static String row(String proxy, String server, int chkdown, String hanafail) {
        List<String> columns = Arrays.asList(HEADER.substring(2).split(",", -1));
        String[] f = new String[columns.size()];
        Arrays.fill(f, "");
        f[columns.indexOf("pxname")] = proxy;
        f[columns.indexOf("svname")] = server;
        f[columns.indexOf("status")] = "UP";
        f[columns.indexOf("chkdown")] = Integer.toString(chkdown);
        f[columns.indexOf("hanafail")] = hanafail;
        return String.join(",", f);
    }

    private static String showStat(int b2Down, String b2Hanafail) {
        return String.join("\n", HEADER, row("fe", "FRONTEND", 0, ""), row("be", "b1", 0, "0"),
                row("be", "b2", b2Down, b2Hanafail), row("be", "b3", 1, "0"), row("be", "BACKEND", 7, ""), "", "");
    }

    @Test
    void haproxyEjectionsAreTheDownTransitionsOfTheBackendsServersSinceTheStart() {
        Map<String, Integer> grown = HaproxyStats.increase(showStat(1, "0"), showStat(4, "12"), "chkdown");

        assertThat(grown).containsOnly(Map.entry("b1", 0), Map.entry("b2", 3), Map.entry("b3", 0));
        assertThat(Ejections.counted(grown).describe()).isEqualTo("b2 ×3");
        assertThat(HaproxyStats.increase(showStat(1, ""), showStat(1, "12"), "hanafail")).containsEntry("b2", 12);
    }

    @Test
    void somethingThatIsNotAShowStatAnswerIsRefusedSayingSo() {
        assertThatThrownBy(() -> HaproxyStats.perServer("Unknown command\n", "chkdown"))
                .hasMessageContaining("not a 'show stat' answer");
        assertThatThrownBy(() -> HaproxyStats.perServer("# pxname,svname\nbe,b1\n", "chkdown"))
                .hasMessageContaining("no column chkdown");
    }

    @Test
    void nginxEjectionsAreItsTemporarilyDisabledLinesByBackendPort() {
        String log = """
                2026/12/01 12:34:00 [warn] 5431#5431: *41 upstream server temporarily disabled while reading response \
                header from upstream, client: 127.0.0.1, server: , request: "GET /broken HTTP/1.1", upstream: \
                "http://127.0.0.1:40002/broken", host: "127.0.0.1:33427"
                2026/12/01 12:34:00 [error] 5431#5431: *41 upstream prematurely closed connection while reading \
                response header from upstream, client: 127.0.0.1, upstream: "http://127.0.0.1:40001/"
                2026/12/01 12:34:01 [warn] 5432#5432: *57 upstream server temporarily disabled while reading response \
                header from upstream, client: 127.0.0.1, server: , request: "GET / HTTP/1.1", upstream: \
                "http://127.0.0.1:40002/", host: "127.0.0.1:33427"
                2026/12/01 12:34:01 [warn] 5432#5432: *58 upstream server temporarily disabled while connecting to \
                upstream, client: 127.0.0.1, server: , request: "GET / HTTP/1.1", upstream: "http://127.0.0.1:40003/"
                2026/12/01 12:34:01 [error] 5431#5431: *42 no live upstreams while connecting to upstream, client: \
                127.0.0.1, server: , request: "GET / HTTP/1.1", upstream: "http://backends/", host: "127.0.0.1:33427"
                """;

        Map<String, Integer> disabled = NginxErrorLog.disabled(log, Map.of(40001, "b1", 40002, "b2", 40003, "b3"));

        assertThat(disabled).containsOnly(Map.entry("b2", 2), Map.entry("b3", 1));
        assertThat(Ejections.counted(disabled).describe()).isEqualTo("b2 ×2, b3 ×1");
    }

    @Test
    void healthyProxyEjectionsAreTheTimelinesNewEventsThatTakeABackendOut() {
        String timeline = """
                {"uptimeMs": 9000, "maxAgeMs": 900000, "capacity": 512, "events": [
                  {"sequence": 1, "atMs": 10, "agoMs": 8990, "cluster": "default", "backend": "b1", "kind": "health",
                   "from": "healthy", "to": "unhealthy", "reason": "checks_failed", "text": "unhealthy after 3 failed checks"},
                  {"sequence": 2, "atMs": 6000, "agoMs": 3000, "cluster": "default", "backend": "b2", "kind": "circuit",
                   "from": "closed", "to": "open", "reason": "failure_threshold_reached", "text": "circuit closed -> open",
                   "lengthMs": 5000},
                  {"sequence": 3, "atMs": 11000, "agoMs": 0, "cluster": "default", "backend": "b2", "kind": "circuit",
                   "from": "open", "to": "half_open", "reason": "open_duration_elapsed", "text": "circuit open -> half_open"},
                  {"sequence": 4, "atMs": 11001, "agoMs": 0, "cluster": "default", "backend": "b2", "kind": "circuit",
                   "from": "half_open", "to": "open", "reason": "trial_failed", "text": "circuit half_open -> open"},
                  {"sequence": 5, "atMs": 11002, "agoMs": 0, "cluster": "default", "backend": "b3", "kind": "ejection",
                   "to": "ejected", "reason": "slower_than_peers", "text": "ejected for 5s", "lengthMs": 5000},
                  {"sequence": 6, "atMs": 12000, "agoMs": 0, "cluster": "default", "backend": "b1", "kind": "health",
                   "from": "unhealthy", "to": "healthy", "reason": "checks_passed", "text": "healthy again"}
                ]}
                """;

        assertThat(HealthyProxyTimeline.lastSequence(timeline)).isEqualTo(6);
        assertThat(HealthyProxyTimeline.takenOut(timeline, 1)).containsOnly(Map.entry("b2", 2), Map.entry("b3", 1));
        assertThat(HealthyProxyTimeline.takenOut(timeline, 6)).isEmpty();
        assertThat(HealthyProxyTimeline.lastSequence("{\"uptimeMs\": 1, \"events\": []}")).isZero();
    }

    @Test
    void ejectionsDescribeThemselvesInOneCell() {
        assertThat(Ejections.counted(Map.of("b1", 0)).describe()).isEqualTo("none");
        assertThat(Ejections.counted(Map.of()).withDetail("passive checks saw 0 errors").describe())
                .isEqualTo("none (passive checks saw 0 errors)");
        assertThat(Ejections.counted(Map.of("b2", 1, "b1", 2)).backends()).isEqualTo(2);
        assertThat(Ejections.notKnown("n/a").backends()).isEqualTo(-1);
    }
}
