package dev.licensor.server.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.ConversionService;
import org.springframework.core.convert.support.GenericConversionService;
import org.springframework.core.serializer.support.DeserializingConverter;
import org.springframework.core.serializer.support.SerializationFailedException;
import org.springframework.core.serializer.support.SerializingConverter;

/**
 * How the panel's HTTP sessions store their attributes in the database (Spring Session JDBC):
 * Java serialization, as Spring Session does by default, except that an attribute that no longer
 * reads back (written by another version of the server, e.g. before an upgrade of Spring
 * Security, or by a newer instance during a rolling upgrade) counts as absent instead of failing
 * every request of that browser with an error: the user is asked to log in again.
 */
@Configuration(proxyBeanMethods = false)
class PanelSessionStore {
    private static final Logger log = LoggerFactory.getLogger(PanelSessionStore.class);

    // Only where asked for by name (Spring Session's configuration): not a candidate for anything
    // that wants "a ConversionService".
    @Bean(defaultCandidate = false)
    ConversionService springSessionConversionService() {
        DeserializingConverter deserializer = new DeserializingConverter(PanelSessionStore.class.getClassLoader());
        GenericConversionService conversions = new GenericConversionService();
        conversions.addConverter(Object.class, byte[].class, new SerializingConverter());
        conversions.addConverter(byte[].class, Object.class, bytes -> {
            try {
                return deserializer.convert(bytes);
            } catch (SerializationFailedException e) {
                log.warn("a panel session attribute could not be read and counts as absent: {}", e.getMessage());
                return null;
            }
        });
        return conversions;
    }
}
