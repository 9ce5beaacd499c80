# A minimal JSON writer (no packages needed): lists with names → objects, without → arrays,
# numbers to 17 significant digits; NA, NaN and ±Inf become null.
json <- function(x) {
  if (is.list(x)) {
    if (is.null(names(x))) return(paste0("[", paste(vapply(x, json, ""), collapse = ", "), "]"))
    return(paste0("{", paste(sprintf("\"%s\": %s", names(x), vapply(x, json, "")), collapse = ", "), "}"))
  }
  if (is.character(x)) return(sprintf("\"%s\"", gsub("\"", "\\\\\"", x)))
  if (is.logical(x)) return(tolower(as.character(x)))
  if (length(x) != 1 || !is.finite(x)) return(if (length(x) == 1) "null" else paste0("[", paste(ifelse(!is.finite(x), "null", trimws(formatC(x, digits = 17, format = "g"))), collapse = ", "), "]"))
  trimws(formatC(x, digits = 17, format = "g"))
}
