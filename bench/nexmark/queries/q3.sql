-- NEXMark q3: Local item suggestion: sellers in OR/ID/CA of category-10 auctions (join person/auction).
CREATE STREAM auction (id BIGINT, item_name STRING, description STRING, initial_bid BIGINT, reserve BIGINT, date_time TIMESTAMP,
                     expires TIMESTAMP, seller BIGINT, category BIGINT, extra STRING)
  WITH ('type' = 'file_source', 'path' = '../data/auction.csv', 'format' = 'csv', 'has_headers' = 'true', 'event.time.field' = 'date_time');
CREATE STREAM person (id BIGINT, name STRING, email_address STRING, credit_card STRING, city STRING, state STRING,
                    date_time TIMESTAMP, extra STRING)
  WITH ('type' = 'file_source', 'path' = '../data/person.csv', 'format' = 'csv', 'has_headers' = 'true', 'event.time.field' = 'date_time');
SELECT P.name, P.city, P.state, A.id
FROM auction AS A INNER JOIN person AS P ON A.seller = P.id
WHERE A.category = 10 AND (P.state = 'OR' OR P.state = 'ID' OR P.state = 'CA');
