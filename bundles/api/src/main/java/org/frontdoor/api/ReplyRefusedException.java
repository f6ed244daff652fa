package org.frontdoor.api;

/**
 * Thrown by a channel's {@code frontdoor:outbound} route when its door will never accept this reply (the recipient
 * blocked the account, the conversation is too old to answer, the vendor rejected the content): the reply is marked
 * {@code FAILED} at once, with the message as the reason agents see, and is not retried until an agent asks for it.
 * Any other exception is taken as a passing failure and retried with a growing delay.
 *
 * <p>The message is a sentence an agent understands ("the customer blocked this account"), not an exception class.
 */
public class ReplyRefusedException extends Exception {

    private static final long serialVersionUID = 1L;

    public ReplyRefusedException(String reason) {
        super(reason);
    }

    public ReplyRefusedException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
