package dev.licensor.server.session;

import dev.licensor.server.license.LiveSessions;
import org.springframework.stereotype.Component;

/** The live-session count the license views show. */
@Component
class LiveSessionCount implements LiveSessions {
    private final Sessions sessions;

    LiveSessionCount(Sessions sessions) {
        this.sessions = sessions;
    }

    @Override
    public int count(long licenseId) {
        return sessions.countLive(licenseId);
    }

    @Override
    public String countSubquery(String licenseId) {
        return SessionRepository.countLiveSubquery(licenseId);
    }

    @Override
    public long total() {
        return sessions.countAllLive();
    }
}
