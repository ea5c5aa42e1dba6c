package org.ilinks.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.regex.Pattern;

/**
 * A stored audit event as a FHIR R4 AuditEvent resource, on one line of JSON (for NDJSON export to a SIEM). The
 * event type is coded with the DICOM codes FHIR's audit-event-type value set uses (import, export, application
 * activity, query) and the iLINKS type as the subtype; the chain's sequence number and hash travel as identifiers so
 * that an exported record can be matched to the verified trail.
 */
public final class FhirAuditEvents {

    public static final String NHS_NUMBER_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number";
    public static final String SUBTYPE_SYSTEM = "https://ilinks.org/fhir/CodeSystem/audit-event-type";
    public static final String MESSAGE_SYSTEM = "https://ilinks.org/Id/message-id";
    public static final String SERVICE_SYSTEM = "https://ilinks.org/Id/service-id";
    private static final String DICOM = "http://dicom.nema.org/resources/ontology/DCM";
    private static final String ENTITY_TYPE = "http://terminology.hl7.org/CodeSystem/audit-entity-type";
    private static final String OBJECT_ROLE = "http://terminology.hl7.org/CodeSystem/object-role";
    private static final Pattern IP_ADDRESS = Pattern.compile("[0-9.]+|[0-9a-fA-F:]*:[0-9a-fA-F:.]*");

    private final ObjectMapper mapper = new ObjectMapper();

    /** The resource as one line of JSON, no line breaks. */
    public String json(StoredEvent stored) {
        try {
            return mapper.writeValueAsString(resource(stored));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of plain values always serialises", e);
        }
    }

    public ObjectNode resource(StoredEvent stored) {
        AuditEvent e = stored.event();
        ObjectNode r = mapper.createObjectNode();
        r.put("resourceType", "AuditEvent");
        r.put("id", e.eventId());
        ObjectNode type = r.putObject("type");
        String[] dicom = dicomType(e.type());
        type.put("system", DICOM).put("code", dicom[0]).put("display", dicom[1]);
        r.putArray("subtype").addObject().put("system", SUBTYPE_SYSTEM).put("code", e.type().name());
        r.put("action", e.action());
        r.put("recorded", e.recordedAt().toString());
        r.put("outcome", Integer.toString(e.outcome()));
        if (e.detail() != null) {
            r.put("outcomeDesc", e.detail());
        }
        ObjectNode agent = r.putArray("agent").addObject();
        agent.putObject("who").put("display", e.actorId()).putObject("identifier").put("value", e.actorId());
        agent.put("requestor", AuditEvent.PERSON.equals(e.actorType()));
        if (e.actorAddress() != null) {
            agent.putObject("network").put("address", e.actorAddress())
                    .put("type", IP_ADDRESS.matcher(e.actorAddress()).matches() ? "2" : "1");
        }
        ObjectNode source = r.putObject("source");
        source.putObject("observer").put("display", e.source());
        source.putArray("type").addObject().put("system",
                "http://terminology.hl7.org/CodeSystem/security-source-type").put("code", "4")
                .put("display", "Application Server");
        ArrayNode entities = r.putArray("entity");
        if (e.nhsNumber() != null) {
            entity(entities, NHS_NUMBER_SYSTEM, e.nhsNumber(), "1", "Person", "1", "Patient");
        }
        if (e.messageId() != null) {
            entity(entities, MESSAGE_SYSTEM, e.messageId(), "2", "System Object", "4", "Domain Resource");
        }
        if (e.serviceId() != null) {
            entity(entities, SERVICE_SYSTEM, e.serviceId(), "2", "System Object", "3", "Report");
        }
        ObjectNode chain = entities.addObject();
        chain.put("name", "audit chain");
        chain.putArray("detail").addObject().put("type", "seq").put("valueString", Long.toString(stored.seq()));
        ((ArrayNode) chain.get("detail")).addObject().put("type", "hash").put("valueString", stored.hash());
        return r;
    }

    private static void entity(ArrayNode entities, String system, String value, String typeCode, String typeDisplay,
                               String roleCode, String roleDisplay) {
        ObjectNode entity = entities.addObject();
        entity.putObject("what").putObject("identifier").put("system", system).put("value", value);
        entity.putObject("type").put("system", ENTITY_TYPE).put("code", typeCode).put("display", typeDisplay);
        entity.putObject("role").put("system", OBJECT_ROLE).put("code", roleCode).put("display", roleDisplay);
    }

    private static String[] dicomType(AuditEventType type) {
        return switch (type) {
            case RECEIVED, REJECTED, DUPLICATE, FILE_RECEIVED, FILE_DONE, FILE_PARTIAL, FILE_FAILED ->
                    new String[] {"110107", "Import"};
            case CONFIG_LOADED -> new String[] {"110100", "Application Activity"};
            case PERSON_ACTION -> new String[] {"110112", "Query"};
            default -> new String[] {"110106", "Export"};
        };
    }
}
