package org.frontdoor.channel.sms;

import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.frontdoor.api.Attachment;
import org.frontdoor.api.Blobs;
import org.frontdoor.plugin.media.MediaFetches;

/**
 * The files of a stored text or voicemail, fetched after the commit into the blob store: an MMS's {@code MediaUrlN}
 * ({@code MediaContentTypeN}) and a voicemail's recording ({@code RecordingUrl} as mp3), with the account's HTTP Basic
 * ({@link TwilioApi#open}). One over {@code maxAttachmentBytes} stays without content, as a refused attachment does.
 * The webhook has already put each file in the message, in the same order, without content.
 */
final class SmsMedia {

    /** Fetches one file of an instance into the blob store; null when it is larger than the instance takes. */
    @FunctionalInterface
    interface Fetcher {
        Attachment fetch(SmsInstance instance, URI url, Attachment shown) throws Exception;
    }

    private SmsMedia() {
    }

    /** The default {@link Fetcher}: {@link TwilioApi#open}, then {@link Blobs#store} within the instance's limit. */
    static Fetcher into(Blobs blobs) {
        return (instance, url, shown) -> {
            try (InputStream content = open(instance, url)) {
                return blobs.store(shown.name(), shown.mediaType(), content, instance.maxAttachmentBytes());
            } catch (IllegalArgumentException tooLarge) {
                return null;
            }
        };
    }

    private static InputStream open(SmsInstance instance, URI url) throws Exception {
        try {
            return instance.api().open(url);
        } catch (TwilioApi.Failure f) {
            // refused credentials show on the door's health as a reply's would
            instance.failed(f);
            throw f;
        }
    }

    /**
     * The fetches of a message's files: one per attachment the webhook listed, by its place, for those whose address
     * is an http(s) URL. {@code current} gives the instance as configured when the fetch runs (a new token is used).
     */
    static List<MediaFetches.Pending> pending(String instanceName, Form form, List<Attachment> shown,
                                              Function<String, SmsInstance> current, Fetcher fetcher) {
        List<URI> urls = new ArrayList<>();
        String recording = form.nonBlank("RecordingUrl");
        if (form.nonBlank("MessageSid") != null || form.nonBlank("SmsMessageSid") != null) {
            for (int i = 0; i < shown.size(); i++) {
                urls.add(MediaFetches.fetchable(form.nonBlank("MediaUrl" + i)));
            }
        } else if (recording != null && shown.size() == 1) {
            // without an extension Twilio serves WAV; .mp3 is a tenth of its size
            urls.add(MediaFetches.fetchable(
                    recording.endsWith(".mp3") || recording.endsWith(".wav") ? recording : recording + ".mp3"));
        }
        List<MediaFetches.Pending> pending = new ArrayList<>();
        for (int i = 0; i < urls.size(); i++) {
            URI url = urls.get(i);
            if (url == null) {
                continue;
            }
            Attachment attachment = shown.get(i);
            pending.add(new MediaFetches.Pending(i, (recording != null ? "voicemail " : "MMS media ") + i + " ("
                    + attachment.mediaType() + ")", () -> fetcher.fetch(running(current, instanceName), url,
                    attachment)));
        }
        return pending;
    }

    private static SmsInstance running(Function<String, SmsInstance> current, String name) {
        SmsInstance instance = current.apply(name);
        if (instance == null || !instance.usable()) {
            throw new IllegalStateException("SMS channel instance " + name + " is not running now");
        }
        return instance;
    }

    /** A failure's text without URLs: they may carry credentials. */
    static String mask(String text) {
        return text == null ? null : text.replaceAll("https?://\\S+", "<url>");
    }
}
