#!/usr/bin/env Rscript
# Scripting Strata from R with jsonlite: run a batch of queries, then turn a compare matrix
# into a table.   usage: Rscript batch.R [BASE_URL]   (default http://127.0.0.1:8765)
library(jsonlite)
args <- commandArgs(trailingOnly = TRUE)
base <- if (length(args) > 0) args[[1]] else "http://127.0.0.1:8765"

# 1. A batch: POSTed with httr2 when it is installed, else with curl.
body <- toJSON(list(
  queries = list(
    list(id = "ethics-es", q = "ética", country = list("ES", "MX")),
    list(id = "data", q = "\"open data\" OR datos", crosslingual = FALSE),
    list(id = "compute", q = "supercomputer", per_page = 3)
  ),
  defaults = list(facets = "none", per_page = 5)
), auto_unbox = TRUE)
if (requireNamespace("httr2", quietly = TRUE)) {
  batch <- httr2::request(paste0(base, "/v1/batch")) |>
    httr2::req_body_raw(body, type = "application/json") |>
    httr2::req_perform() |>
    httr2::resp_body_json(simplifyVector = FALSE)
} else {
  out <- system2("curl", c("-sf", "-X", "POST", "-H", shQuote("Content-Type: application/json"),
                           "--data-binary", shQuote(body), paste0(base, "/v1/batch")), stdout = TRUE)
  batch <- fromJSON(paste(out, collapse = "\n"), simplifyVector = FALSE)
}
for (line in batch$results) {
  if (!is.null(line$error)) {
    cat(line$id, "ERROR", line$error$message, sep = "\t"); cat("\n")
    next
  }
  for (hit in line$result$hits) {
    cat(line$id, hit$id, hit$country, hit$year, sep = "\t"); cat("\n")
  }
}
cat("\n")

# 2. A compare matrix as a data frame, reshaped to countries × themes.
m <- fromJSON(paste0(base, "/v1/compare?themes=ethics,data&best=false"))
cells <- m$cells[, c("row", "column", "share")]
wide <- reshape(cells, idvar = "row", timevar = "column", direction = "wide")
names(wide) <- sub("^share\\.", "", names(wide))
print(wide, row.names = FALSE)
