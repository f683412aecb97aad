package io.healthyproxy.bench.jmh;

/** The requests the HTTP/1.1 codec benchmarks decode and encode, as they arrive on the wire. */
final class Http1Requests {

    /** What Chrome sends for a page: 12 header fields (564 bytes of them), 621 bytes with the request line. */
    static final String BROWSER_GET = "GET /products/shoes/running?size=42&colour=blue HTTP/1.1\r\n"
            + "Host: shop.example.com\r\n"
            + "Connection: keep-alive\r\n"
            + "sec-ch-ua: \"Chromium\";v=\"124\", \"Google Chrome\";v=\"124\", \"Not-A.Brand\";v=\"99\"\r\n"
            + "sec-ch-ua-mobile: ?0\r\n"
            + "sec-ch-ua-platform: \"Linux\"\r\n"
            + "Upgrade-Insecure-Requests: 1\r\n"
            + "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 "
            + "Safari/537.36\r\n"
            + "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8\r\n"
            + "Sec-Fetch-Site: same-origin\r\n"
            + "Accept-Encoding: gzip, deflate, br\r\n"
            + "Accept-Language: en-GB,en;q=0.9\r\n"
            + "Cookie: session=3f2a9c41d8e07b65; theme=dark\r\n"
            + "\r\n";

    private static final String ORDER = "{\"customer\":42,\"items\":[{\"sku\":\"SHOE-42-BLUE\",\"qty\":1},"
            + "{\"sku\":\"SOCK-M\",\"qty\":3}],\"delivery\":{\"street\":\"1 Main St\",\"city\":\"Springfield\","
            + "\"zip\":\"12345\"},\"note\":\"leave at door\"}";

    /** An API client's POST with a 200-byte JSON body. */
    static final String SMALL_POST = "POST /api/v1/orders HTTP/1.1\r\n"
            + "Host: api.example.com\r\n"
            + "User-Agent: okhttp/4.12.0\r\n"
            + "Accept: application/json\r\n"
            + "Content-Type: application/json; charset=utf-8\r\n"
            + "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI0MiJ9.c2lnbmF0dXJl\r\n"
            + "Content-Length: 200\r\n"
            + "\r\n"
            + ORDER + " ".repeat(200 - ORDER.length());

    /** An upload in four 1 KiB chunks. */
    static final String CHUNKED_POST = "POST /upload HTTP/1.1\r\n"
            + "Host: files.example.com\r\n"
            + "User-Agent: curl/8.5.0\r\n"
            + "Accept: */*\r\n"
            + "Content-Type: application/octet-stream\r\n"
            + "Transfer-Encoding: chunked\r\n"
            + "\r\n"
            + ("400\r\n" + "x".repeat(1024) + "\r\n").repeat(4)
            + "0\r\n\r\n";

    private Http1Requests() {
    }
}
