package org.ilinks.delivery;

import org.apache.camel.Exchange;
import org.apache.camel.component.mllp.MllpConstants;
import org.ilinks.message.MessageHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records each delivered copy: message id, service, endpoint kind and the service's ACK code. The message id is
 * what ties a delivered copy back to its intake (it also names delivered files and travels as a JMS property).
 */
public final class DeliveryLog {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryLog.class);

    private final org.ilinks.engine.MessageCounters counters;

    public DeliveryLog(org.ilinks.engine.MessageCounters counters) {
        this.counters = counters;
    }

    public void delivered(Exchange exchange) {
        counters.delivered(exchange.getProperty(DeliveryProperties.SERVICE_ID, String.class));
        String ack = exchange.getMessage().getHeader(MllpConstants.MLLP_ACKNOWLEDGEMENT_TYPE, String.class);
        LOG.info("Delivered message {} to service {} by {}{}",
                exchange.getMessage().getHeader(MessageHeaders.MESSAGE_ID),
                exchange.getProperty(DeliveryProperties.SERVICE_ID),
                exchange.getProperty(DeliveryProperties.ENDPOINT_KIND),
                ack == null ? "" : " (ACK " + ack + ")");
    }
}
