-- DuckDB oracle/baseline for ../q4.sql over the views bid, auction, person, side_input (check.py, run.sh).
SELECT Q.category, AVG(Q.final) AS avg_final
FROM (SELECT MAX(B.price) AS final, A.category
      FROM auction AS A JOIN bid AS B ON A.id = B.auction
      WHERE B.date_time BETWEEN A.date_time AND A.expires
      GROUP BY A.id, A.category) AS Q
GROUP BY Q.category
