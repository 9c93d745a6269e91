package com.example.sampleapp;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The tutorial's sample service, made with the JDK alone: /ip says which instance answered,
 * /script-health-check is what the ValidateService hook polls.
 *
 * <p>Settings come from the environment: PORT (default 8080) and SAMPLE_APP_HEALTH; "fail" makes
 * the health check answer 503, which is how the demo's broken revision fails ValidateService.
 */
public final class App {
  private App() {}

  public static void main(String[] args) throws IOException {
    int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8080"));
    boolean healthy = !"fail".equalsIgnoreCase(System.getenv().getOrDefault("SAMPLE_APP_HEALTH", ""));
    String version = System.getenv().getOrDefault("SAMPLE_APP_VERSION", "dev");

    HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
    server.createContext("/ip", exchange -> reply(exchange, 200, ipReport(exchange, version)));
    server.createContext(
        "/script-health-check",
        exchange -> {
          if (healthy) {
            reply(exchange, 200, "OK " + version + "\n");
          } else {
            reply(exchange, 503, "UNHEALTHY " + version + ": SAMPLE_APP_HEALTH=fail is set\n");
          }
        });
    server.createContext("/", exchange -> reply(exchange, 404, "Try /ip or /script-health-check\n"));
    server.start();
    System.out.println("sample-app " + version + " listening on port " + port + (healthy ? "" : " (health check set to fail)"));
  }

  private static String ipReport(HttpExchange exchange, String version) throws IOException {
    String host = hostName();
    List<String> addresses = new ArrayList<>();
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      for (InetAddress address : Collections.list(nic.getInetAddresses())) {
        addresses.add(address.getHostAddress());
      }
    }
    return "host=" + host
        + " address=" + exchange.getLocalAddress().getAddress().getHostAddress()
        + " interfaces=" + String.join(",", addresses)
        + " version=" + version + "\n";
  }

  /** The host name, also where it does not resolve (a fresh instance without an /etc/hosts entry). */
  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      Path kernel = Path.of("/proc/sys/kernel/hostname");
      try {
        return Files.exists(kernel) ? Files.readString(kernel).trim() : "unknown";
      } catch (IOException io) {
        return "unknown";
      }
    }
  }

  private static void reply(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
