package dev.forage.tools.compute.ionet;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forage.tools.compute.ComputeException;
import dev.forage.tools.http.JsonApi;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The body of {@code POST /enterprise/v1/io-cloud/vmaas/deploy}: io.net's
 * {@code VMaasDeployRequest}, which has {@code additionalProperties: false}, so only its
 * documented fields are ever written, and only those this adapter sets. Validated before
 * anything is sent; a violation is an INVALID_REQUEST naming the field.
 *
 * @param resourcePrivateName the deployment's name in the account (required)
 * @param durationHours prepaid hours, 1 to 8760 (required)
 * @param gpusPerVm GPUs per VM, 1 to 8 (required)
 * @param hardwareId the hardware item's {@code deploy_id} (required; digits are sent as a number)
 * @param locationId the one location ({@code location_ids} takes exactly one item), if any
 * @param sshKeys public keys by name, if any
 * @param vmImageType {@code general} or {@code datascience}, if set
 */
record DeployRequest(String resourcePrivateName, long durationHours, int gpusPerVm, String hardwareId,
        Optional<String> locationId, Map<String, String> sshKeys, Optional<String> vmImageType) {

    /** Every property of {@code VMaasDeployRequest} (io.net OpenAPI, deploy-vms.json), deprecated {@code vms_qty} aside. */
    static final Set<String> DOCUMENTED_FIELDS = Set.of("resource_private_name", "duration_hours", "gpus_per_vm",
            "hardware_id", "location_ids", "node_pool_id", "ssh_keys", "github_ids", "vm_image_type", "network_services");

    DeployRequest {
        Objects.requireNonNull(locationId, "locationId");
        Objects.requireNonNull(vmImageType, "vmImageType");
        if (resourcePrivateName == null || resourcePrivateName.isBlank()) {
            throw invalid("resource_private_name", "'" + resourcePrivateName + "'", "must not be empty");
        }
        if (durationHours < 1 || durationHours > IonetMarket.MAX_DURATION_HOURS) {
            throw invalid("duration_hours", Long.toString(durationHours),
                    "must be 1 to " + IonetMarket.MAX_DURATION_HOURS + " (io.net prepays whole hours, at most a year)");
        }
        if (gpusPerVm < 1 || gpusPerVm > IonetMarket.MAX_GPUS_PER_VM) {
            throw invalid("gpus_per_vm", Integer.toString(gpusPerVm), "must be 1 to " + IonetMarket.MAX_GPUS_PER_VM);
        }
        if (hardwareId == null || hardwareId.isBlank()) {
            throw invalid("hardware_id", "'" + hardwareId + "'", "must be the deploy_id of a hardware item");
        }
        if (locationId.isPresent() && (locationId.get().isBlank() || locationId.get().contains(","))) {
            throw invalid("location_ids", "'" + locationId.get() + "'", "must be exactly one location id");
        }
        sshKeys = java.util.Collections.unmodifiableMap(new TreeMap<>(sshKeys));
        sshKeys.forEach((name, key) -> {
            if (name.isBlank() || key.isBlank()) {
                throw invalid("ssh_keys", "'" + name + "'", "needs a name and an OpenSSH public key");
            }
        });
        if (vmImageType.isPresent() && !Set.of("general", "datascience").contains(vmImageType.get())) {
            throw invalid("vm_image_type", "'" + vmImageType.get() + "'", "must be general or datascience");
        }
    }

    private static ComputeException invalid(String field, String value, String rule) {
        return new ComputeException(IonetMarket.ID, ComputeException.Reason.INVALID_REQUEST,
                "deploy request field " + field + " = " + value + " " + rule + "; nothing was sent");
    }

    /** The JSON body: the required fields, then the optional ones that are set, nothing else. */
    ObjectNode toJson() {
        ObjectNode body = JsonApi.MAPPER.createObjectNode();
        body.put("resource_private_name", resourcePrivateName);
        body.put("duration_hours", durationHours);
        body.put("gpus_per_vm", gpusPerVm);
        putId(body, "hardware_id", hardwareId);
        locationId.ifPresent(l -> {
            var array = body.putArray("location_ids");
            if (l.matches("\\d{1,18}")) {
                array.add(Long.parseLong(l));
            } else {
                array.add(l);
            }
        });
        if (!sshKeys.isEmpty()) {
            ObjectNode keys = body.putObject("ssh_keys");
            sshKeys.forEach(keys::put);
        }
        vmImageType.ifPresent(t -> body.put("vm_image_type", t));
        return body;
    }

    private static void putId(ObjectNode body, String field, String id) {
        // io.net types these ids as integer-or-string; its own examples send integers.
        if (id.matches("\\d{1,18}")) {
            body.put(field, Long.parseLong(id));
        } else {
            body.put(field, id);
        }
    }
}
