package org.frontdoor.api;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The departments: those configured in {@code etc/org.frontdoor.department-<id>.cfg} (added, changed and removed
 * while Frontdoor runs, an unusable file listed as {@link Department.Status#INVALID} with its reason) and those only
 * seen in the store. Implemented by core.
 */
@ProviderType
public interface Departments {

    /** Every department, by id; one both configured and seen is listed once, with its configuration. */
    List<Department> list();

    /** One department by id, configured or seen; empty when neither. */
    Optional<Department> get(String id);
}
