package org.frontdoor.api;

import java.time.Duration;
import java.util.Objects;

/**
 * How a proof by code is bounded ({@link Customers#startProof}). Every count is kept in the database, so the bounds hold
 * across nodes.
 *
 * @param validFor           how long a code may be typed back
 * @param attempts           wrong codes after which the challenge is locked
 * @param perAddressPerHour  codes sent to one address per hour, whoever asks
 * @param perKnownPerHour    codes one identity (a visitor) may ask for per hour, whatever the address
 */
public record ProofLimits(Duration validFor, int attempts, int perAddressPerHour, int perKnownPerHour) {

    public ProofLimits {
        Objects.requireNonNull(validFor, "validFor");
        if (validFor.isNegative() || validFor.isZero() || attempts < 1 || perAddressPerHour < 1 || perKnownPerHour < 1) {
            throw new IllegalArgumentException("proof limits are positive: " + validFor + ", " + attempts + ", "
                    + perAddressPerHour + ", " + perKnownPerHour);
        }
    }
}
