package dev.licensor.server.customer.api;

import dev.licensor.server.customer.Customer;
import dev.licensor.server.customer.Customers;
import dev.licensor.server.web.PageResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** Admin API: customers. Writes: ADMIN or SUPPORT. */
@RestController
@RequestMapping("/api/admin/customers")
@Tag(name = "Admin: customers", description = "Customers, their licenses and quick statistics")
class AdminCustomerController {
    private static final String EXAMPLE =
            """
            {"name": "Jane Doe", "email": "jane@example.com", "company": "Example GmbH", "phone": "+49 30 1234567",
             "notes": "reseller", "test": false}""";

    private final Customers customers;

    AdminCustomerController(Customers customers) {
        this.customers = customers;
    }

    @Schema(name = "CustomerRequest", description = "Create: name required. Patch: any subset. Unknown fields: 400")
    record CustomerBody(
            @Schema(maxLength = 200) String name,
            @Schema(maxLength = 320) @Nullable String email,
            @Schema(maxLength = 200) @Nullable String company,
            @Schema(maxLength = 50) @Nullable String phone,
            @Schema(maxLength = 10000) @Nullable String notes,
            @Schema(defaultValue = "false") @Nullable Boolean test) {}

    @GetMapping
    @Operation(summary = "List or search customers, by name")
    PageResponse<Customer> list(
            @Parameter(description = "Case-insensitive search in name, email and company")
                    @RequestParam(required = false)
                    @Nullable
                    String q,
            @RequestParam(required = false) @Nullable Boolean test,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        return customers.search(q, test, new PageResponse.Paging(page, size));
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create a customer")
    Customer create(
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            content =
                                    @Content(
                                            schema = @Schema(implementation = CustomerBody.class),
                                            examples = @ExampleObject(value = EXAMPLE)))
                    @RequestBody
                    JsonNode body) {
        return customers.create(body);
    }

    @GetMapping("/{id}")
    @Operation(summary = "One customer")
    Customer get(@PathVariable long id) {
        return customers.get(id);
    }

    @PatchMapping("/{id}")
    @Operation(summary = "Change a customer; null or \"\" clears an optional field")
    Customer patch(
            @PathVariable long id,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            content =
                                    @Content(
                                            schema = @Schema(implementation = CustomerBody.class),
                                            examples = @ExampleObject(value = "{\"company\": \"Example AG\"}")))
                    @RequestBody
                    JsonNode body) {
        return customers.patch(id, body);
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(
            summary = "Delete a customer",
            description = "409 CONFLICT (with the number of licenses) while the customer owns licenses, unless"
                    + " force=true: then the licenses stay, without a customer, and keep working.")
    void delete(@PathVariable long id, @RequestParam(defaultValue = "false") boolean force) {
        customers.delete(id, force);
    }

    @GetMapping("/{id}/licenses")
    @Operation(summary = "A customer's licenses, newest first, with counts by status and devices in use")
    Customers.CustomerLicenses licenses(
            @PathVariable long id,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        return customers.licenses(id, new PageResponse.Paging(page, size));
    }
}
