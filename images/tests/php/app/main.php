<?php
require __DIR__ . '/vendor/autoload.php';
echo \Hello\Greeter::greet(), "\n";
