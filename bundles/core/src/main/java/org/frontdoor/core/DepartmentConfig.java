package org.frontdoor.core;

import org.frontdoor.api.SlaPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Frontdoor department",
        description = "One department: its name, business hours, priority and SLA targets, and who may read it; one "
                + "file per department, etc/org.frontdoor.department-<id>.cfg")
@interface DepartmentConfig {

    @AttributeDefinition(description = "Department id, as routing rules name it; by default the part of the file "
            + "name after 'department-'")
    String id() default "";

    @AttributeDefinition(description = "Name shown to people; by default the id")
    String name() default "";

    @AttributeDefinition(description = "Time zone of the business hours and holidays: an IANA id such as "
            + "Europe/Paris, America/New_York or UTC")
    String timeZone() default "UTC";

    @AttributeDefinition(description = "When the department answers, on its local clock: comma separated entries "
            + "'<day>[-<day>] HH:MM-HH:MM ...' (days mon tue wed thu fri sat sun; 24:00 ends at midnight; a range "
            + "over midnight is written as two), or 'always'")
    String businessHours() default "mon-fri 09:00-17:00";

    @AttributeDefinition(description = "Local dates closed all day, ISO (2026-12-25), comma separated")
    String[] holidays() default {};

    @AttributeDefinition(description = "Priority of the department's conversations when routing gives none: 0 "
            + "(normal) and up, higher served first", min = "0")
    int defaultPriority() default 0;

    @AttributeDefinition(description = "SLA target for the first answer to a customer, in minutes of business "
            + "hours; 0 for none", min = "0")
    int firstResponseMinutes() default 240;

    @AttributeDefinition(description = "SLA target for resolving a conversation, in minutes of business hours; 0 "
            + "for none", min = "0")
    int resolutionMinutes() default 960;

    @AttributeDefinition(description = "First-response targets for some priorities, '<priority>:<minutes>' comma "
            + "separated (2:30, 3:10); other priorities use firstResponseMinutes")
    String firstResponseByPriority() default "";

    @AttributeDefinition(description = "Resolution targets for some priorities, '<priority>:<minutes>' comma "
            + "separated (2:240); other priorities use resolutionMinutes")
    String resolutionByPriority() default "";

    @AttributeDefinition(description = "How far into a target, in percent (1 to 99), an SLA timer warns with "
            + "sla-warning", min = "1", max = "99")
    int warnAtPercent() default 80;

    @AttributeDefinition(description = "What is done when a target is breached, then each time as much business time "
            + "again passes: steps 'supervisor', 'department:<id>' (a transfer) and 'callback' (a phone callback task), "
            + "comma separated; none when empty")
    String escalation() default "";

    @AttributeDefinition(description = "The automatic reply a customer gets, once per conversation, when it lands "
            + "here while the department is closed; {opening} stands for the next opening; empty for none")
    String closedReply() default SlaPolicy.DEFAULT_CLOSED_REPLY;

    @AttributeDefinition(description = "JAAS groups or roles whose members may read the department's "
            + "conversations, comma separated")
    String[] readGroups() default {};

    @AttributeDefinition(description = "How queued conversations are given to the department's online agents within "
            + "their capacity: manual (agents take them, supervisors assign), round-robin (in turn), least-loaded (to "
            + "who holds fewest) or skills (who has the conversation's skill and speaks its language)")
    String assignment() default "manual";
}
