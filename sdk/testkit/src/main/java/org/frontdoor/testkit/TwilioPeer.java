package org.frontdoor.testkit;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local Twilio REST API: checks each request as Twilio documents it ({@code POST
 * /2010-04-01/Accounts/{AccountSid}/Messages.json} or {@code Calls.json}, form-encoded, HTTP Basic
 * AccountSid:AuthToken, {@code To} and one of {@code From}/{@code MessagingServiceSid}, a {@code Body} of at most 1600
 * characters; for a call {@code From} (a Messaging Service cannot call) and exactly one of {@code Url} (absolute
 * http(s)) and {@code Twiml} (a {@code <Response>} document of at most 4000 characters)) and answers as Twilio does:
 * 201 with the resource's JSON; 401 with code 20003 when the token is not the current one.
 *
 * <p>It also serves the account's media as Twilio does with HTTP Basic enforced: {@code GET} of an MMS's
 * {@code MediaUrl} ({@link #media}) answers 307 to a CDN (another local peer, another origin, which refuses any
 * {@code Authorization} header: credentials must not follow the redirect); {@code GET} of a recording's
 * {@code RecordingUrl} with {@code .mp3} ({@link #recording}) answers the file. Without the current credentials: 401.
 */
public final class TwilioPeer extends VendorPeer {

    private final String account;
    private volatile String token;
    private final AtomicInteger sids = new AtomicInteger();
    private final java.util.Map<Received, String> given = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Media> files = new java.util.concurrent.ConcurrentHashMap<>();
    private final VendorPeer cdn;

    /** A file the peer serves: its type and content (text stands for the bytes). */
    private record Media(String contentType, String content) {
    }

    /**
     * A peer for this account, taking this Auth Token, answering 201 from now on.
     *
     * @throws IOException when no local port could be opened
     */
    public TwilioPeer(String account, String token) throws IOException {
        this.account = account;
        this.token = token;
        answerFromNow(201);
        this.cdn = new VendorPeer("/cdn/") {
            @Override
            protected String check(Received request) {
                if (!"GET".equals(request.method())) {
                    return "the CDN takes GET";
                }
                if (request.header("Authorization") != null) {
                    return "credentials followed the redirect to the CDN";
                }
                return files.containsKey(request.path()) ? null : "no such file on the CDN: " + request.path();
            }

            @Override
            protected Answer answerFor(Received request) {
                Media m = files.get(request.path());
                return new Answer(200, Map.of("Content-Type", m.contentType()), m.content());
            }
        };
    }

    /**
     * An MMS file of message {@code messageSid}: the {@code MediaUrl} a webhook gives for it. Its GET is redirected to
     * the CDN, which serves {@code content}.
     */
    public String media(String messageSid, String contentType, String content) {
        String sid = "ME" + String.format("%032x", sids.incrementAndGet());
        files.put("/2010-04-01/Accounts/" + account + "/Messages/" + messageSid + "/Media/" + sid,
                new Media(contentType, content));
        files.put("/cdn/" + sid, new Media(contentType, content));
        return baseUrl() + "/2010-04-01/Accounts/" + account + "/Messages/" + messageSid + "/Media/" + sid;
    }

    /** A voicemail recording: the {@code RecordingUrl} a webhook gives; its {@code .mp3} serves {@code content}. */
    public String recording(String content) {
        String sid = "RE" + String.format("%032x", sids.incrementAndGet());
        files.put("/2010-04-01/Accounts/" + account + "/Recordings/" + sid + ".mp3", new Media("audio/mpeg", content));
        return baseUrl() + "/2010-04-01/Accounts/" + account + "/Recordings/" + sid;
    }

    /** The requests for files (MediaUrl, RecordingUrl) the peer and its CDN got, in order, as paths. */
    public java.util.List<String> fileRequests() {
        java.util.List<String> paths = new java.util.ArrayList<>();
        received().stream().filter(r -> "GET".equals(r.method())).forEach(r -> paths.add(r.path()));
        cdn.received().forEach(r -> paths.add("cdn " + r.path()));
        return paths;
    }

    @Override
    public java.util.List<String> rejections() {
        java.util.List<String> all = new java.util.ArrayList<>(super.rejections());
        cdn.rejections().forEach(r -> all.add("CDN: " + r));
        return all;
    }

    @Override
    public void close() {
        super.close();
        cdn.close();
    }

    /** Files: 307 to the CDN for an MMS's media, the file for a recording. */
    @Override
    protected Answer answerFor(Received request) {
        if (!"GET".equals(request.method())) {
            return null;
        }
        Media m = files.get(request.path());
        if (request.path().contains("/Media/")) {
            String sid = request.path().substring(request.path().lastIndexOf('/') + 1);
            return new Answer(307, Map.of("Location", cdn.url("/cdn/" + sid).toString()), null);
        }
        return new Answer(200, Map.of("Content-Type", m.contentType()), m.content());
    }

    /** The account's Auth Token rotated: the old one is refused from now on. */
    public void rotate(String newToken) {
        this.token = newToken;
    }

    /** Where the door's {@code apiBaseUrl} points: {@code http://127.0.0.1:<port>}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** A request's form-encoded body as names and values, in their order. */
    public static Map<String, String> form(Received request) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : request.text().split("&")) {
            if (pair.isEmpty()) {
                continue; // a GET of a file has no body
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            form.put(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return form;
    }

    /** Twilio's 429 answer, with Retry-After in seconds. */
    public void tooManyRequests(long seconds) {
        answer(new Answer(429, Map.of("Retry-After", Long.toString(seconds), "Content-Type", "application/json"),
                "{\"code\":20429,\"message\":\"Too Many Requests\",\"more_info\":"
                        + "\"https://www.twilio.com/docs/errors/20429\",\"status\":429}"));
    }

    /** Twilio's answer to a number that texted STOP. */
    public void unsubscribed() {
        answer(new Answer(400, Map.of("Content-Type", "application/json"), "{\"code\":21610,\"message\":"
                + "\"Attempt to send to unsubscribed recipient\",\"more_info\":"
                + "\"https://www.twilio.com/docs/errors/21610\",\"status\":400}"));
    }

    /** The sid this peer answered a request with (its status callbacks name it), or null. */
    public String sid(Received request) {
        return given.get(request);
    }

    @Override
    protected String check(Received request) {
        if ("GET".equals(request.method())) {
            return fileProblem(request);
        }
        if (!"POST".equals(request.method())) {
            return "not a POST";
        }
        String prefix = "/2010-04-01/Accounts/" + account + "/";
        if (!request.path().equals(prefix + "Messages.json") && !request.path().equals(prefix + "Calls.json")) {
            return "not a documented path: " + request.path();
        }
        if (!String.valueOf(request.header("Content-Type")).startsWith("application/x-www-form-urlencoded")) {
            return "not form-encoded";
        }
        if (request.query() != null) {
            return "a query string: nothing belongs in the URL";
        }
        String auth = request.header("Authorization");
        if (auth == null || !auth.startsWith("Basic ")) {
            return "no HTTP Basic";
        }
        String[] user = new String(Base64.getDecoder().decode(auth.substring(6)), StandardCharsets.UTF_8)
                .split(":", 2);
        if (!user[0].equals(account)) {
            return "Basic user is not the AccountSid";
        }
        Map<String, String> form = form(request);
        if (!String.valueOf(form.get("To")).matches("\\+[1-9][0-9]{6,14}")) {
            return "To is not E.164: " + form.get("To");
        }
        if (form.containsKey("From") == form.containsKey("MessagingServiceSid")) {
            return "exactly one of From and MessagingServiceSid";
        }
        if (request.path().endsWith("Messages.json")) {
            String body = form.get("Body");
            if (body == null || body.isEmpty() || body.length() > 1600) {
                return "Body missing or over 1600 characters";
            }
        } else {
            String problem = callProblem(form);
            if (problem != null) {
                return problem;
            }
        }
        String callback = form.get("StatusCallback");
        if (callback != null && !callback.matches("https?://[^\\s]+")) {
            return "StatusCallback is not an absolute http(s) URL: " + callback;
        }
        if (!user[1].equals(token)) {
            answer(new Answer(401, Map.of("Content-Type", "application/json", "WWW-Authenticate",
                    "Basic realm=\"Twilio API\""), "{\"code\":20003,\"detail\":\"Your AccountSid or AuthToken was "
                    + "incorrect.\",\"message\":\"Authentication Error - invalid username\",\"more_info\":"
                    + "\"https://www.twilio.com/docs/errors/20003\",\"status\":401}"));
        }
        return null;
    }

    /** What is wrong with a GET of a file, or null; a 401 is scripted for credentials that are not the current ones. */
    private String fileProblem(Received request) {
        if (!files.containsKey(request.path()) || request.path().startsWith("/cdn/")) {
            return "no such file: " + request.path();
        }
        if (request.query() != null) {
            return "a query string: nothing belongs in the URL";
        }
        String auth = request.header("Authorization");
        String expected = "Basic " + Base64.getEncoder().encodeToString((account + ":" + token)
                .getBytes(StandardCharsets.UTF_8));
        if (!expected.equals(auth)) {
            answer(new Answer(401, Map.of("Content-Type", "application/json", "WWW-Authenticate",
                    "Basic realm=\"Twilio API\""), "{\"code\":20003,\"message\":\"Authenticate\",\"status\":401}"));
        }
        return null;
    }

    /** What is wrong with a Calls.json form beyond To and From, or null. */
    private static String callProblem(Map<String, String> form) {
        if (!form.containsKey("From")) {
            return "a call needs From: a Messaging Service cannot place calls";
        }
        if (!String.valueOf(form.get("From")).matches("\\+[1-9][0-9]{6,14}")) {
            return "From is not E.164: " + form.get("From");
        }
        if (form.containsKey("Url") == form.containsKey("Twiml")) {
            return "a call needs exactly one of Url and Twiml";
        }
        if (form.containsKey("Url")) {
            return String.valueOf(form.get("Url")).matches("https?://[^/\\s]+/\\S*") ? null
                    : "Url is not an absolute http(s) URL";
        }
        String twiml = form.get("Twiml");
        if (twiml.length() > 4000) {
            return "Twiml over 4000 characters";
        }
        try {
            javax.xml.parsers.DocumentBuilderFactory factory = javax.xml.parsers.DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            org.w3c.dom.Document document = factory.newDocumentBuilder().parse(new org.xml.sax.InputSource(
                    new java.io.StringReader(twiml)));
            return "Response".equals(document.getDocumentElement().getNodeName()) ? null
                    : "Twiml's root is not <Response>";
        } catch (Exception e) {
            return "Twiml is not well-formed XML: " + e.getMessage();
        }
    }

    /** The forms of the calls the peer placed (accepted Calls.json requests), in order. */
    public java.util.List<Map<String, String>> calls() {
        return accepted().stream().filter(r -> r.path().endsWith("/Calls.json")).map(TwilioPeer::form).toList();
    }

    @Override
    protected String body(Received request) {
        Map<String, String> form = form(request);
        boolean call = request.path().endsWith("Calls.json");
        String sid = (call ? "CA" : "SM") + String.format("%032x", sids.incrementAndGet());
        given.put(request, sid);
        return "{\"sid\":\"" + sid + "\",\"account_sid\":\"" + account + "\",\"to\":\"" + form.get("To")
                + "\",\"from\":\"" + form.getOrDefault("From", "") + "\",\"status\":\"queued\","
                + (call ? "\"direction\":\"outbound-api\",\"uri\":\"/2010-04-01/Accounts/" + account + "/Calls/"
                + sid + ".json\"," : "") + "\"api_version\":\"2010-04-01\"}";
    }
}
