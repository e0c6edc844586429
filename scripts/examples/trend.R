#!/usr/bin/env Rscript
# A trend from Strata in R: how often a query is used per million words, year by year, one
# line per country, drawn with base graphics.
#   usage: Rscript trend.R [BASE_URL] [QUERY] [OUT.pdf]
#   (defaults: http://127.0.0.1:8765, datos, strata-trend.pdf)
library(jsonlite)
args <- commandArgs(trailingOnly = TRUE)
base <- if (length(args) > 0) args[[1]] else "http://127.0.0.1:8765"
query <- if (length(args) > 1) args[[2]] else "datos"
out <- if (length(args) > 2) args[[3]] else "strata-trend.pdf"

# GET /v1/trends, split by country: one series per country, one point per year.
url <- paste0(base, "/v1/trends?split=country&q=", URLencode(query, reserved = TRUE))
trends <- fromJSON(url, simplifyVector = FALSE)

# Tidy rows: country, year, occurrences, per million words, documents using it / documents.
rows <- do.call(rbind, lapply(trends$series, function(s) {
  do.call(rbind, lapply(s$points, function(p) {
    data.frame(country = s$key, year = p$year, occurrences = p$occurrences,
               per_million = p$per_million, documents = p$documents,
               documents_total = p$documents_total)
  }))
}))
write.table(rows, sep = "\t", quote = FALSE, row.names = FALSE)

# The chart: per-million rates by year, a line and points per country.
pdf(out, width = 8, height = 5)
countries <- unique(rows$country)
colours <- rainbow(length(countries))
plot(range(rows$year), c(0, max(rows$per_million)), type = "n", xlab = "year",
     ylab = "occurrences per million words", main = paste0("\"", query, "\" by country"))
for (i in seq_along(countries)) {
  r <- rows[rows$country == countries[[i]], ]
  r <- r[order(r$year), ]
  lines(r$year, r$per_million, type = "b", col = colours[[i]], pch = 19)
}
legend("topleft", legend = countries, col = colours, lty = 1, pch = 19)
invisible(dev.off())
cat("chart written to", out, "\n")
