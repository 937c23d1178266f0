package dev.licensor.server.ops;

import io.micrometer.common.KeyValue;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.observation.DefaultServerRequestObservationConvention;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.stereotype.Component;
import org.springframework.util.function.SingletonSupplier;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.pattern.PathPattern;

/**
 * {@code http.server.requests} with the route as its {@code uri} also for requests answered before
 * Spring MVC: a call refused by the API key, address, signature or rate-limit filters, or by Spring
 * Security, would otherwise be counted as {@code uri="UNKNOWN"}, and per-endpoint panels and the
 * rate-limit alert would miss exactly the refused calls (SPEC §7: requests by endpoint and outcome).
 * The route is the most specific pattern of a controller that matches the path; a path no
 * controller has keeps the default tag ({@code NOT_FOUND} or {@code UNKNOWN}), so the tag's values
 * stay bounded. Requests that reached a controller (nearly all) are tagged by MVC as before.
 */
@Component
class RouteObservationConvention extends DefaultServerRequestObservationConvention {
    private final Supplier<List<PathPattern>> patterns;

    RouteObservationConvention(
            @Qualifier("requestMappingHandlerMapping") ObjectProvider<RequestMappingHandlerMapping> mappings) {
        // Read on first use: the observation filter is made before Spring MVC's handler mappings.
        this.patterns = SingletonSupplier.of(() -> mappings.getObject().getHandlerMethods().keySet().stream()
                .map(info -> info.getPathPatternsCondition())
                .filter(Objects::nonNull)
                .flatMap(condition -> condition.getPatterns().stream())
                .distinct()
                .sorted(PathPattern.SPECIFICITY_COMPARATOR)
                .toList());
    }

    @Override
    protected KeyValue uri(ServerRequestObservationContext context) {
        if (context.getPathPattern() == null) {
            String route = route(context.getCarrier());
            if (route != null) {
                return KeyValue.of("uri", route);
            }
        }
        return super.uri(context);
    }

    private @Nullable String route(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        PathContainer container = PathContainer.parsePath(path);
        return patterns.get().stream()
                .filter(pattern -> pattern.matches(container))
                .findFirst()
                .map(PathPattern::getPatternString)
                .orElse(null);
    }
}
