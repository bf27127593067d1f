<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru_RU">
<context>
    <name>ColorMap</name>
    <message>
        <source>Viridis</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cividis (colour-vision friendly)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Blue-white-red (diverging)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>gs::ui::HeatmapWidget</name>
    <message>
        <source>Scroll through the tokens of a long sentence (the mouse wheel over the plot works too)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Value of the cell under the mouse, or of the selected cell</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No heatmap yet.
Open a model folder (File › Open model folder…), type a sentence and press Run.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hover a cell to see its value; click to select it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>embeddings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (#%2) · layer %3 · %4 = %5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no heatmap to export yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown export format &quot;%1&quot;: use .png, .pdf or .svg.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not write %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Token x layer heatmap exported by Grammascope</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>n/a</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>gs::ui::InferenceWorker</name>
    <message>
        <source>unknown error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>loading %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no model is loaded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>encoding: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>gs::ui::MainWindow</name>
    <message>
        <source>Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open model folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a Hugging Face checkpoint folder (config.json, weights, tokenizer)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Export heatmap…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the whole heatmap as PNG, PDF or SVG (chosen by the file extension)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close Grammascope</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model options changed: Model › Reload model applies them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Colour map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Colour map of quantities that are not centred on zero</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Model information</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show or hide the model information panel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About Grammascope</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About Grammascope</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Grammascope %1&lt;/b&gt;&lt;/p&gt;&lt;p&gt;Shows where a BERT-style masked language model keeps grammar: how each token&apos;s representation changes from layer to layer.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What Grammascope is doing, or the last error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Progress of the running job; Esc cancels it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a model folder first (File › Open model folder…).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type a sentence first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Encoding…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model loaded. Type a sentence and press Run.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loaded %1 (%2 layers, hidden size %3).</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n warning(s): see the Model panel.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n token(s), %1 layers.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Could not load %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not load the model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not load the model in %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Encoding failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Word</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not compute the heatmap: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading %p%</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Encoding %p%</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Grammascope</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — Grammascope</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open model folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 no longer exists; removed from the recent list.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Clear list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PDF document (*.pdf)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SVG image (*.svg)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export heatmap</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exported %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>gs::ui::ModelInfoPanel</name>
    <message>
        <source>The loaded model: architecture, sizes, tokenizer, device, precision and loader warnings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Architecture</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Layers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hidden size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attention heads</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Feed-forward size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Max. length</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vocabulary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weights</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tokenizer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MLM head</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Precision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Threads</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warnings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No model loaded. Open a Hugging Face checkpoint folder (config.json, weights and tokenizer files) with File › Open model folder…, or drop the folder onto the window.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>gs::ui::ModelOptionsMenu</name>
    <message>
        <source>&amp;Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Precision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>fp32 (exact)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>bf16 (faster on CPUs with AMX / AVX-512, less precise)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weights and activations in %1; applies when a model is (re)loaded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Automatic (CUDA when available)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CUDA</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CUDA (not available in this build)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where the model runs; applies when a model is (re)loaded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Number of CPU threads used by the model; applies when a model is (re)loaded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Reload model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load the open model again with the options above</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CPU threads</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Threads for the model (0 = one per hardware thread, %1 here):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Threads: automatic…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Threads: %1…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>gs::ui::SentencePanel</name>
    <message>
        <source>Type or paste a sentence, e.g. Мама мыла раму, а ёж спал.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The sentence to encode. Enter or Ctrl+Return runs the model.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Encode the sentence and show how each token changes across layers (Enter, Ctrl+Return)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop the running job (Esc)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quantity drawn for every token and layer: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merge sub-tokens into &amp;words</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show one column per word (the mean over its sub-tokens) instead of one per token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quantity:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Sentence:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Sentence to encode once the model has loaded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sentence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shows where a BERT-style masked language model keeps grammar: a token x layer view of its hidden states.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hugging Face checkpoint folder to open (config.json, weights, tokenizer).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
