#!/usr/bin/env bash
# One `seapt tokenizer extend` call adding Lao, Khmer, Burmese (N tokens each) and Malay, Filipino (HALF each) to
# a base, learned from ../shared/data/raw, then FLORES-200 devtest parity side by side with the base (issue 17).
#   bash benchmarks/sea_tokenizer.sh BASE OUT N HALF     e.g. bash benchmarks/sea_tokenizer.sh llama3 /tmp/l8 8000 4000
# BASE: a folder under ../shared/base-tokenizers (llama3, qwen2, mistral-v1). Writes OUT/ and OUT.eval.json.
set -euo pipefail
base=$1 out=$2 n=$3 half=$4
shared=${SHARED:-../shared}
R=$shared/data/raw F=$shared/data/parallel/flores200_devtest
uptime
/usr/bin/time -f "extend %e s" nice -n 15 seapt tokenizer extend --base "$shared/base-tokenizers/$base" \
  --corpus lo=$R/lo_yunshan/lo_yunshan_train_dev_sentences.txt --corpus km=$R/km_news_phylypo/kh_news_1000_orig.jsonl \
  --corpus my=$R/my_news_khine/my_news_paragraphs.jsonl --corpus ms=$R/ms_news_articles \
  --corpus fil=$R/fil_ud_newscrawl/tl_newscrawl_dev_test_sentences.txt \
  --add lo="$n" --add km="$n" --add my="$n" --add ms="$half" --add fil="$half" --output "$out" --overwrite
uptime
nice -n 15 seapt tokenizer eval --tokenizer "$shared/base-tokenizers/$base" --tokenizer "$out" \
  --text lo=$F/lao_Laoo.devtest --text km=$F/khm_Khmr.devtest --text my=$F/mya_Mymr.devtest \
  --text ms=$F/zsm_Latn.devtest --text fil=$F/tgl_Latn.devtest --text th=$F/tha_Thai.devtest \
  --text vi=$F/vie_Latn.devtest --text id=$F/ind_Latn.devtest --text en=$F/eng_Latn.devtest \
  --parallel --json "$out.eval.json"
