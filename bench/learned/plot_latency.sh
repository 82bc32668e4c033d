#!/bin/sh
# plot_latency.sh TABLE.md OUT.png: dependent lookup latency against index size, one panel per key
# distribution, from a markdown table with the columns of bench_index's first table
# (| keys | structure | build s | bytes/key | indep ns | dep ns |). Needs gnuplot (Debian:
# gnuplot-nox). Rows with 0 bytes/key (binary search) are drawn at 0.0005 so the log axis keeps
# them, and the B-tree (which stores the keys itself) is left out.
set -eu
table=$1
out=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
awk -F'|' -v dir="$work" '
  /^\| [a-z_]+ \| / && $3 !~ /btree/ && $2 !~ /^ *keys *$/ {
    gsub(/^ +| +$/, "", $2); gsub(/^ +| +$/, "", $3);
    bytes = $5 + 0; if (bytes == 0) bytes = 0.0005;
    family = 4;  # colour: 1 augur, 2 PGM, 3 RadixSpline, 4 anything else
    if ($3 ~ /augur|learned|rmi|chosen/) family = 1;
    else if ($3 ~ /PGM/) family = 2;
    else if ($3 ~ /RadixSpline/) family = 3;
    label = $3; gsub(/ /, "_", label);
    printf "%g %g %s %d\n", bytes, $7 + 0, label, family >> (dir "/" $2 ".dat");
  }' "$table"
plots=""
for f in "$work"/*.dat; do
  name=$(basename "$f" .dat)
  plots="$plots
set title '$name' noenhanced
plot '$f' using 1:2:4 with points pt 7 ps 1.2 lc variable notitle, '' using 1:2:3 with labels offset 0,0.8 font ',7' noenhanced notitle"
done
gnuplot <<GNUPLOT
set terminal pngcairo size 1500,900 font ',9'
set output '$out'
set multiplot layout 2,3 title 'Dependent lookup latency (ns) against index size (bytes per key); purple: augur, green: PGM-index, blue: RadixSpline, orange: binary search'
set logscale x
set xlabel 'index bytes/key (log)'
set ylabel 'ns per dependent lookup'
set grid
set arrow from 0.08, graph 0 to 0.08, graph 1 nohead dashtype 2 lc rgb 'gray40'
set label '1% of the keys' at 0.085, graph 0.05 font ',7' textcolor rgb 'gray40'
set yrange [0:*]
$plots
unset multiplot
GNUPLOT
