package org.frontdoor.store.jpa;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

import org.frontdoor.api.Identity;

/**
 * Where to reach a customer: the identities they proved to own. Only a proof links an identity ({@link
 * CustomerMerges}), never a claim: ingest records what an author says of themselves and joins nothing.
 */
final class CustomerLinks {

    private final Jdbc jdbc;

    CustomerLinks(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    List<Identity> verifiedIdentities(Identity of, String channel) {
        return jdbc.inTransaction("read verified identities", c -> {
            List<Identity> found = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement("SELECT v.channel, v.handle, v.display_name, v.email, "
                    + "v.phone, v.reach FROM customer_identity i JOIN customer_identity v "
                    + "ON v.customer_id = i.customer_id WHERE i.handle = ? AND i.channel = ? AND v.channel = ? "
                    + "AND v.verified_at IS NOT NULL ORDER BY v.verified_at DESC, v.id DESC")) {
                q.setString(1, of.handle());
                q.setString(2, of.channel());
                q.setString(3, channel);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        found.add(new Identity(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getString(5), rs.getLong(6)));
                    }
                }
            }
            return found;
        });
    }
}
