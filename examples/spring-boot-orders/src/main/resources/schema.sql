create table if not exists orders (
  id varchar(64) primary key,
  item varchar(200) not null,
  quantity int not null,
  status varchar(20) not null
);
create table if not exists billing_log (
  seq bigint auto_increment primary key,
  order_id varchar(64) not null,
  event_type varchar(20) not null,
  attempt int not null
);
create table if not exists shipments (
  order_id varchar(64) primary key
);
