package dev.licensor.server.stats.admin;

import dev.licensor.server.product.Product;
import dev.licensor.server.product.Products;
import dev.licensor.server.stats.UsageDaily;
import dev.licensor.server.web.PageResponse;
import dev.licensor.server.web.admin.Csv;
import dev.licensor.server.web.admin.Pager;
import dev.licensor.server.web.admin.PanelController;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.context.MessageSource;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * Daily usage statistics: the filtered list with its chart and CSV export, and the chart data the
 * license and product pages draw (the last 30 days by default). Every role reads them.
 */
@PanelController
@RequestMapping("/admin/usage-stats")
class UsageStatsPanelController {
    static final String VIEW = "admin/usage-stats";
    static final List<String> CSV_HEADER =
            List.of("day", "product_id", "license_id", "license_key", "active_devices", "session_minutes");

    private final UsageDaily usage;
    private final Products products;
    private final MessageSource messages;

    UsageStatsPanelController(UsageDaily usage, Products products, MessageSource messages) {
        this.usage = usage;
        this.products = products;
        this.messages = messages;
    }

    /** The filters, as query parameters: product id, license key, and a day range (yyyy-MM-dd). */
    record Filter(@Nullable Long product, @Nullable String license, @Nullable String from, @Nullable String to) {
        UsageDaily.Query query(UsageDaily usage) {
            return usage.query(product, license, from, to);
        }
    }

    @GetMapping
    String list(@ModelAttribute Filter filter, @RequestParam(defaultValue = "0") int page, Model model) {
        UsageDaily.Query query = filter.query(usage);
        UsageDaily.Report report = usage.report(query, Pager.paging(page));
        List<Product> all =
                products.list(new PageResponse.Paging(0, PageResponse.MAX_SIZE)).items();
        model.addAttribute("report", report);
        model.addAttribute("pager", new Pager(report.page(), report.size(), report.total()));
        model.addAttribute("filter", filter);
        model.addAttribute("query", query);
        model.addAttribute("products", all);
        model.addAttribute(
                "productNames", all.stream().collect(Collectors.toMap(Product::id, Product::name, (a, b) -> a)));
        return VIEW;
    }

    @GetMapping("/export.csv")
    void export(@ModelAttribute Filter filter, HttpServletResponse response) throws IOException {
        UsageDaily.Query query = filter.query(usage);
        Csv.write(
                response,
                "usage-stats-" + query.from() + "-" + query.to() + ".csv",
                CSV_HEADER,
                Csv.pages(paging -> usage.rows(query, paging)),
                r -> Arrays.asList(
                        r.day(), r.productId(), r.licenseId(), r.licenseKey(), r.activeDevices(), r.sessionMinutes()));
    }

    /** Chart data: active devices (left axis) and session minutes (right axis) per day. */
    @GetMapping(value = "/chart", produces = "application/json")
    @ResponseBody
    PanelChart chart(@ModelAttribute Filter filter) {
        UsageDaily.Series series = usage.series(filter.query(usage));
        return PanelChart.daily(
                series.days(),
                List.of(
                        PanelChart.series(messages, "panel.usage.active-devices", series.activeDevices(), null),
                        PanelChart.series(messages, "panel.usage.session-minutes", series.sessionMinutes(), "right")));
    }
}
