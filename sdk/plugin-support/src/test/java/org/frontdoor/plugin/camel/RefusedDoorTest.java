package org.frontdoor.plugin.camel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class RefusedDoorTest {

    private static final String PID = "com.acme.door";

    @Test
    void aNameTheFileOrTheInstanceKeyGivesRightIsTaken() {
        assertThat(RefusedDoor.refusal(PID, Map.of("felix.fileinstall.filename", "file:/etc/com.acme.door-a_b.c-1.cfg")))
                .isEmpty();
        assertThat(RefusedDoor.refusal(PID, Map.of("service.pid", PID + "~support"))).isEmpty();
        assertThat(RefusedDoor.refusal(PID, Map.of("service.pid", PID + ".1234", "instance", " support ")))
                .isEmpty();
    }

    @Test
    void anEmptyFileNameIsRefusedAndListedUnderTheFilesName() {
        Map<String, String> cfg = Map.of("felix.fileinstall.filename", "file:/opt/etc/com.acme.door-.cfg");

        assertThat(RefusedDoor.refusal(PID, cfg)).hasValue("etc/com.acme.door-.cfg refused: instance name '' is not "
                + "1-64 letters, digits, '.', '_', '-' led by a letter or digit: rename the file or set 'instance' in it");
        assertThat(RefusedDoor.listedName(PID, cfg)).isEqualTo("com.acme.door-.cfg");
    }

    @Test
    void theFileIsNamedAsTheAdminWroteItNotAsFileInstallsUrl() {
        Map<String, String> cfg = Map.of("service.pid", PID + "~Bad Name!",
                "felix.fileinstall.filename", "file:/opt/frontdoor/etc/com.acme.door-Bad%20Name!.cfg");

        assertThat(RefusedDoor.refusal(PID, cfg)).hasValueSatisfying(reason -> assertThat(reason)
                .startsWith("etc/com.acme.door-Bad Name!.cfg refused: instance name 'Bad Name!' is not"));
        assertThat(RefusedDoor.listedName(PID, cfg)).isEqualTo("Bad Name!");
    }

    @Test
    void aConfigurationThatNamesNoInstanceSaysHowToNameIt() {
        Map<String, String> cfg = Map.of("service.pid", PID + ".1234");

        assertThat(RefusedDoor.refusal(PID, cfg)).hasValue("configuration com.acme.door.1234 refused: it names no "
                + "instance: set 'instance' in it, or name the file com.acme.door-<instance>.cfg");
        assertThat(RefusedDoor.listedName(PID, cfg)).isEqualTo("configuration com.acme.door.1234");
    }

    @Test
    void aNameLongerThan64OrStartingWithAPunctuationMarkIsRefused() {
        assertThat(RefusedDoor.refusal(PID, Map.of("instance", "a".repeat(65)))).isPresent();
        assertThat(RefusedDoor.refusal(PID, Map.of("instance", ".hidden"))).isPresent();
        assertThat(RefusedDoor.refusal(PID, Map.of("instance", "a".repeat(64)))).isEmpty();
    }
}
