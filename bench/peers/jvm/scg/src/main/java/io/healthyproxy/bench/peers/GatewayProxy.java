package io.healthyproxy.bench.peers;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;

/**
 * Spring Cloud Gateway in front of the benchmark's backends, configured in {@code application.yml}:
 * {@code java -jar peer.jar --port=0 --b1=PORT --b2=PORT --b3=PORT}. Prints {@code listening on 127.0.0.1:PORT }
 * once the server is up, for the scenario runner.
 */
@SpringBootApplication
public class GatewayProxy implements ApplicationListener<WebServerInitializedEvent> {

    public static void main(String[] args) {
        SpringApplication.run(GatewayProxy.class, args);
    }

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        System.out.println("listening on 127.0.0.1:" + event.getWebServer().getPort() + " (spring cloud gateway)");
    }
}
