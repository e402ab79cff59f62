/** The {@code rabbitmq://} adapter. */
module io.unimq.rabbit {
  requires io.unimq.api;
  requires org.slf4j;
  requires com.rabbitmq.client;
  requires java.net.http;

  provides io.unimq.spi.MqProvider with io.unimq.rabbit.RabbitProvider;
}
