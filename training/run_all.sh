#!/usr/bin/env bash
# One command: rebuild the data, train the BlurPool CRNN and its max-pool twin (24 epochs each,
# side by side), evaluate both, export earshot-sed-v1 (ONNX + manifest + golden), check it with
# ONNX Runtime Java, rebuild the demo set and RESULTS.md. About 1 h on 2 shared cores (measured
# times in RESULTS.md); needs the Debian packages listed in README.md, Java 17 and Maven.
# The ablations of RESULTS.md (12 epochs; balanced sampling) are in README.md.
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")"
export OPENBLAS_NUM_THREADS=1
PY=/usr/bin/python3
EPOCHS=${EPOCHS:-24}
STEPS=${STEPS:-100}
BLUR=blurpool-long
TWIN=maxpool-long

$PY -m earshot_sed.fetch data/sources.tsv data/backgrounds.tsv
$PY -m earshot_sed.make_dataset --train 6000 --validation 600 --test 600
mkdir -p work
# The twins train side by side, one thread each (better use of 2 cores than 2 threads each).
$PY -m earshot_sed.train --name "$BLUR" --epochs "$EPOCHS" --steps-per-epoch "$STEPS" --threads 1 \
    > "work/train_$BLUR.log" 2>&1 &
blur=$!
$PY -m earshot_sed.train --name "$TWIN" --maxpool --epochs "$EPOCHS" --steps-per-epoch "$STEPS" --threads 1 \
    > "work/train_$TWIN.log" 2>&1 &
twin=$!
wait "$blur"
wait "$twin"
# ./earshot eval scores the test split (the evaluation module's metrics)
(cd .. && mvn -B -q -pl launcher -am package -DskipTests)
$PY -m earshot_sed.evaluate "$BLUR" "$TWIN"
$PY -m earshot_sed.export "work/runs/$BLUR" --decoding "work/eval/$BLUR/decoding.json"
$PY -m earshot_sed.onnx_check "work/runs/$BLUR" | tee work/onnx_check.txt
$PY -m earshot_sed.demo
$PY -m earshot_sed.results
./run_fast_tests.sh
